package konomi.model.extender;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/** The deploy folder ({@code konomi.deploy}); FileInstall also watches etc/, whose files are not ours. */
final class DeployFolder {
    private DeployFolder() {
    }

    /** The deploy folder, or null when the framework does not name one (then any folder counts). */
    static Path of(BundleContext context) {
        String d = context.getProperty("konomi.deploy");
        return d == null ? null : real(Path.of(d));
    }

    static boolean holds(Path deploy, Path file) {
        return deploy == null || deploy.equals(real(file.toAbsolutePath().getParent()));
    }

    /** The real path when it exists (FileInstall works on canonical files), else the normalised absolute one. */
    static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /**
     * Makes FileInstall look at a file again. FileInstall 3.7.4 forgets a file whose listener gives it up
     * (DirectoryWatcher puts it among the deleted and does not offer it to the other listeners), so a fixed jar
     * or an xml that stopped being a cascade would lie there unseen until changed; a new modification time is
     * such a change. Only the time changes, never the content.
     */
    static void requeue(Path file) {
        try {
            long old = java.nio.file.Files.getLastModifiedTime(file).toMillis();
            java.nio.file.Files.setLastModifiedTime(file,
                    java.nio.file.attribute.FileTime.fromMillis(Math.max(System.currentTimeMillis(), old + 1)));
        } catch (IOException e) {
            // deleted meanwhile: nothing to look at again
        }
    }
}
