package konomi.launcher.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.launcher.GogoSession;
import konomi.launcher.KonomiRuntime;

/**
 * Platform benchmarks (not run by {@code verify}; run with {@code ./mvnw -B -Pbench verify}). Each prints
 * one JSON line per figure: start-up to the first command's result, detection throughput, peak memory,
 * hot-deploy latency. Compare figures only within one run on one machine.
 */
@Tag("bench")
class PlatformBench {
    static final Path DIST = Path.of(System.getProperty("konomi.dist", "target/konomi"));
    static final Path SHARED = Path.of(System.getProperty("konomi.shared", "../../shared")).toAbsolutePath().normalize();
    static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void startup(@TempDir Path home) throws Exception {
        List<Long> ms = new ArrayList<>();
        long rssKb = 0;
        for (int i = 0; i < 6; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("/usr/bin/time", "-f", "%M", Path.of("konomi").toAbsolutePath().toString(), "detect:list")
                    .redirectErrorStream(false).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(60, TimeUnit.SECONDS);
            ms.add((System.nanoTime() - t0) / 1_000_000);
            rssKb = Long.parseLong(err.substring(err.lastIndexOf('\n') + 1).strip());
        }
        // the first run also lists the class path's packages once (cached afterwards)
        List<Long> warm = ms.subList(1, ms.size()).stream().sorted().toList();
        System.out.printf(Locale.ROOT, "{\"bench\": \"startup\", \"command\": \"konomi detect:list\", \"first_ms\": %d, "
                + "\"median_ms\": %d, \"min_ms\": %d, \"peak_rss_mb\": %.0f, \"cores\": %d}%n",
                ms.get(0), warm.get(warm.size() / 2), warm.get(0), rssKb / 1024.0, CORES);
    }

    @Test
    void detection(@TempDir Path home) throws Exception {
        try (KonomiRuntime rt = KonomiRuntime.start(DIST, home, false, false)) {
            rt.awaitDeployed(5000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GogoSession s = new GogoSession(rt, InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true), false)) {
                Path plain = SHARED.resolve("data/anime_illustrations_plain");
                run(s, out, "detect:run " + plain); // warm-up: JIT, native libraries, cascade buffers
                double best = 0;
                int images = 0, faces = 0;
                for (int i = 0; i < 5; i++) {
                    double[] r = run(s, out, "detect:run " + plain);
                    if (r[0] / r[2] > best) {
                        best = r[0] / r[2];
                        images = (int) r[0];
                        faces = (int) r[1];
                    }
                }
                System.out.printf(Locale.ROOT, "{\"bench\": \"detect\", \"set\": \"anime_illustrations_plain\", \"images\": %d, "
                        + "\"faces\": %d, \"images_per_s\": %.1f, \"images_per_s_per_core\": %.1f, \"ms_per_image\": %.1f, \"cores\": %d}%n",
                        images, faces, best, best / CORES, 1000 / best, CORES);

                long before = peakRssKb();
                double[] r = run(s, out, "detect:run " + SHARED.resolve("data/anime_faces_holoen20"));
                System.out.printf(Locale.ROOT, "{\"bench\": \"detect\", \"set\": \"anime_faces_holoen20\", \"images\": %d, "
                        + "\"faces\": %d, \"images_per_s\": %.1f, \"peak_rss_mb_before\": %.0f, \"peak_rss_mb_after\": %.0f, \"cores\": %d}%n",
                        (int) r[0], (int) r[1], r[0] / r[2], before / 1024.0, peakRssKb() / 1024.0, CORES);
            }
        }
    }

    /**
     * From a model bundle appearing in deploy/ (an atomic move) to its detector service being registered,
     * with FileInstall's poll at the old 250 ms and at the current setting; also what FileInstall's
     * threads cost while nothing changes (CPU ms per second of idling).
     */
    @Test
    void hotDeploy(@TempDir Path work) throws Exception {
        for (long poll : new long[] {250, KonomiRuntime.FILEINSTALL_POLL_MS}) {
            Path home = Files.createDirectories(work.resolve("home-" + poll));
            System.setProperty("konomi.fileinstall.poll", String.valueOf(poll));
            try (KonomiRuntime rt = KonomiRuntime.start(DIST, home, false, false)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                List<Long> ms = new ArrayList<>();
                try (GogoSession s = new GogoSession(rt, InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream(), true), false)) {
                    Path cascade = SHARED.resolve("models/lbpcascade_animeface/lbpcascade_animeface.xml");
                    for (int i = 0; i < 7; i++) {
                        String name = "bench" + poll + "x" + i;
                        s.run("model:package -n " + name + " -o " + work + " " + cascade);
                        Path jar = work.resolve("konomi.model." + name + "-1.0.0.jar");
                        Path tmp = home.resolve("deploy/." + name);
                        Files.copy(jar, tmp);
                        long t0 = System.nanoTime();
                        Files.move(tmp, home.resolve("deploy/" + name + ".jar"));
                        // woken by the service event itself, not by a timer
                        boolean up = rt.await(() -> registered(rt, "(konomi.name=" + name + ")"), 30_000);
                        ms.add((System.nanoTime() - t0) / 1_000_000);
                        if (!up) {
                            throw new IllegalStateException(name + " was not registered within 30 s");
                        }
                    }
                }
                double idle = fileInstallCpuMsPerSecond(5_000);
                List<Long> sorted = ms.stream().sorted().toList();
                System.out.printf(Locale.ROOT, "{\"bench\": \"hot_deploy\", \"runs\": %d, \"median_ms\": %d, \"max_ms\": %d, "
                        + "\"poll_ms\": %d, \"fileinstall_idle_cpu_ms_per_s\": %.2f, \"all_ms\": %s}%n", ms.size(), sorted.get(sorted.size() / 2),
                        sorted.get(sorted.size() - 1), poll, idle, ms);
            } finally {
                System.clearProperty("konomi.fileinstall.poll");
            }
        }
    }

    /** CPU time FileInstall's watcher threads use over {@code ms} of wall time, per second. */
    private static double fileInstallCpuMsPerSecond(long ms) throws InterruptedException {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] ids = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("fileinstall-"))
                .mapToLong(Thread::getId).toArray();
        long before = Arrays.stream(ids).map(mx::getThreadCpuTime).sum();
        Thread.sleep(ms); // the measured interval itself, not a wait for something
        long after = Arrays.stream(ids).map(mx::getThreadCpuTime).sum();
        return (after - before) / 1e6 / (ms / 1000.0);
    }

    private static boolean registered(KonomiRuntime rt, String filter) {
        try {
            return rt.context().getAllServiceReferences("konomi.api.FaceDetector", filter) != null;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** images, faces, seconds of one detect:run, from its summary line. */
    private static double[] run(GogoSession s, ByteArrayOutputStream out, String line) {
        out.reset();
        GogoSession.Result r = s.run(line);
        if (r.status() != 0) {
            throw new IllegalStateException(line + ": " + r.message());
        }
        Matcher m = Pattern.compile("(\\d+) images, (\\d+) faces, \\d+ skipped in ([0-9.]+) s").matcher(out.toString(StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException("no summary in output of " + line);
        }
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))};
    }

    /** Peak resident set size of this JVM so far (VmHWM), in KB. */
    static long peakRssKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
    }
}
