package konomi.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The user's Konomi folder (default {@code ~/.konomi}, or {@code KONOMI_HOME}): {@code deploy/} for model
 * bundles and {@code .cfg} files (watched by FileInstall), {@code etc/} for configuration (also watched),
 * {@code log/}, and {@code cache/} for per-run files (the framework cache of each running process).
 */
record KonomiHome(Path root) {

    static KonomiHome resolve(String explicit) {
        String dir = explicit;
        if (dir == null || dir.isBlank()) {
            dir = System.getenv("KONOMI_HOME");
        }
        if (dir == null || dir.isBlank()) {
            dir = System.getProperty("konomi.home");
        }
        if (dir == null || dir.isBlank()) {
            dir = Path.of(System.getProperty("user.home"), ".konomi").toString();
        }
        return new KonomiHome(Path.of(dir).toAbsolutePath().normalize());
    }

    Path deploy() {
        return root.resolve("deploy");
    }

    Path etc() {
        return root.resolve("etc");
    }

    Path log() {
        return root.resolve("log");
    }

    Path cache() {
        return root.resolve("cache");
    }

    /** Creates the folders on first start; fails with a one-line reason if the home is unusable. */
    KonomiHome create() {
        for (Path p : new Path[] {deploy(), etc(), log(), cache()}) {
            try {
                Files.createDirectories(p);
            } catch (IOException e) {
                throw new LaunchException(p + ": cannot create Konomi folder (" + e.getMessage() + ")");
            }
        }
        return this;
    }
}
