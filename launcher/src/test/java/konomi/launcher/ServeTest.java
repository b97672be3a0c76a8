package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code konomi serve} as a real process: no shell, hot deploy into deploy/ works, SIGTERM stops the
 * framework (bundles stopped, cache removed) and the launcher exits 0. The probe bundle dropped into
 * deploy/ has an activator that leaves a file in the home when it starts and when it stops.
 */
class ServeTest {

    @Test
    void serveDeploysDroppedBundlesAndStopsCleanlyOnSigterm(@TempDir Path home, @TempDir Path work) throws Exception {
        Path probe = probeBundle(work);
        Path errFile = work.resolve("serve.err");
        ProcessBuilder pb = new ProcessBuilder(Path.of("konomi").toAbsolutePath().toString(), "--home", home.toString(), "serve");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errFile.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        String serving = "konomi: serving, home " + home.toAbsolutePath().normalize() + "; SIGTERM or Ctrl-C stops\n";
        Process p = pb.start();
        try {
            await(work, () -> Files.readString(errFile).contains(serving), "the launcher says it serves");
            assertThat(Files.readString(errFile)).isEqualTo(serving);
            assertThat(p.isAlive()).isTrue();

            Path tmp = home.resolve("deploy/.probe.tmp");
            Files.copy(probe, tmp);
            Files.move(tmp, home.resolve("deploy/probe.jar"), StandardCopyOption.ATOMIC_MOVE);
            Path started = home.resolve("probe.started");
            await(home, () -> Files.exists(started), "the probe bundle starts");
            assertThat(Files.readString(started)).isEqualTo(home.toAbsolutePath().normalize().toString());

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
            assertThat(p.exitValue()).as(Files.readString(errFile)).isZero();
            assertThat(Files.readString(errFile)).as("nothing but the serving line").isEqualTo(serving);
        } finally {
            p.destroyForcibly();
        }
        assertThat(home.resolve("probe.stopped")).as("the framework stopped its bundles").exists();
        try (Stream<Path> s = Files.list(home.resolve("cache"))) {
            assertThat(s.map(f -> f.getFileName().toString())).as("framework cache removed").noneMatch(n -> n.startsWith("felix-"));
        }
    }

    interface Check {
        boolean holds() throws IOException;
    }

    /** Waits (on file system events in {@code dir}, at most 60 s) until the check holds. */
    static void await(Path dir, Check check, String what) throws IOException, InterruptedException {
        try (WatchService ws = FileSystems.getDefault().newWatchService()) {
            dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!check.holds()) {
                WatchKey k = ws.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertThat(k).as(what + " within 60 s").isNotNull();
                k.pollEvents();
                k.reset();
            }
        }
    }

    /** A bundle whose activator writes konomi.home into probe.started, and probe.stopped when it stops. */
    static Path probeBundle(Path work) throws IOException {
        Path src = Files.createDirectories(work.resolve("src/probe"));
        Files.writeString(src.resolve("Activator.java"), """
                package probe;
                import java.nio.file.*;
                import org.osgi.framework.*;
                public class Activator implements BundleActivator {
                    public void start(BundleContext c) throws Exception {
                        String home = c.getProperty("konomi.home");
                        Files.writeString(Path.of(home, ".probe.tmp"), home);
                        Files.move(Path.of(home, ".probe.tmp"), Path.of(home, "probe.started"), StandardCopyOption.ATOMIC_MOVE);
                    }
                    public void stop(BundleContext c) throws Exception {
                        Files.writeString(Path.of(c.getProperty("konomi.home"), "probe.stopped"), "stopped");
                    }
                }
                """);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                "--release", "17", src.resolve("Activator.java").toString());
        assertThat(rc).as("probe compiles").isZero();
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "konomi.test.probe");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Activator", "probe.Activator");
        a.putValue("Import-Package", "org.osgi.framework");
        Path jar = work.resolve("probe.jar");
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, mf)) {
            for (String name : List.of("probe/Activator.class")) {
                j.putNextEntry(new JarEntry(name));
                j.write(Files.readAllBytes(classes.resolve(name)));
                j.closeEntry();
            }
        }
        return jar;
    }
}
