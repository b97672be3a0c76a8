package konomi.launcher;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

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
    List<Map<String, Object>> detectors() {
        try {
            ServiceReference<?>[] refs = runtime.context().getAllServiceReferences("konomi.api.FaceDetector", null);
            return refs == null ? List.of() : Arrays.stream(refs).map(r -> {
                java.util.Map<String, Object> m = new java.util.HashMap<>();
                for (String k : r.getPropertyKeys()) {
                    m.put(k, r.getProperty(k));
                }
                return (Map<String, Object>) m;
            }).toList();
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (on service events) until the detectors satisfy the condition; returns the milliseconds it took, or -1. */
    long awaitDetectors(Predicate<List<Map<String, Object>>> condition, long timeoutMs) {
        long t0 = System.nanoTime();
        return runtime.await(() -> condition.test(detectors()), timeoutMs) ? (System.nanoTime() - t0) / 1_000_000 : -1;
    }

    @Override
    public void close() {
        session.close();
        runtime.close();
    }
}
