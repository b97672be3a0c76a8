package konomi.launcher;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real Konomi framework (the built bundles of target/konomi, a fresh home) plus a Gogo session whose
 * output the test reads: the same path a user's {@code konomi <command>} takes.
 */
final class TestShell implements AutoCloseable {
    static final Path DIST = Path.of(System.getProperty("konomi.dist", "target/konomi"));
    static final Path SHARED = Path.of(System.getProperty("konomi.shared", "../../shared")).toAbsolutePath().normalize();

    final Path home;
    final KonomiRuntime runtime;
    private final GogoSession session;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    record Result(int status, String out, String err, String message) {
    }

    TestShell(Path home) {
        this.home = home;
        runtime = KonomiRuntime.start(DIST, home, false, false);
        if (!runtime.startFailures().isEmpty()) {
            throw new IllegalStateException("bundles failed: " + runtime.startFailures());
        }
        runtime.awaitDeployed(5000);
        session = new GogoSession(runtime, InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    synchronized Result run(String line) {
        out.reset();
        err.reset();
        GogoSession.Result r = session.run(line);
        return new Result(r.status(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), r.message());
    }

    /** Service properties of the registered face detectors. */
    /**
     * The detectors as runs see them ({@code detect:list}), not the service registry: Felix removes a service from the
     * registry before it tells listeners, so the registry can say a detector is gone while DS has not yet unbound it.
     */
    List<Map<String, Object>> detectors() {
        Result r = run("detect:list --no-format");
        if (r.status() != 0) {
            throw new IllegalStateException("detect:list: " + r.message());
        }
        return r.out().lines().map(l -> l.split("\t", -1)).filter(c -> c.length >= 5)
                .map(c -> Map.<String, Object>of("konomi.name", c[1], "konomi.type", c[2], "konomi.version", c[3])).toList();
    }

    /**
     * Polls {@link #detectors()}: DS updates that view in its own listener of the service event, which may run after
     * the runtime's, so waiting on framework events alone could miss the change.
     */
    long awaitDetectors(Predicate<List<Map<String, Object>>> condition, long timeoutMs) throws InterruptedException {
        long t0 = System.nanoTime();
        while (!condition.test(detectors())) {
            if (System.nanoTime() - t0 > timeoutMs * 1_000_000) {
                return -1;
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Override
    public void close() {
        session.close();
        runtime.close();
    }
}
