package konomi.launcher.bench;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.launcher.GogoSession;
import konomi.launcher.KonomiRuntime;

/**
 * score:run throughput and peak memory ({@code ./mvnw -B -Pbench verify}): the 12 illustrations with
 * detection and both shipped scorers, and 2,000 holoen20 crops with {@code --faces}; and whether peak memory
 * stays flat from 10,000 to 100,000 images ({@link #peakRssIsFlatInTheNumberOfImages}).
 */
@Tag("bench")
class ScoreBench {
    @Test
    void scoreRun(@TempDir Path home, @TempDir Path work) throws Exception {
        Path crops = Files.createDirectories(work.resolve("crops"));
        try (Stream<Path> s = Files.walk(PlatformBench.SHARED.resolve("data/anime_faces_holoen20"))) {
            List<Path> all = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
            for (int i = 0; i < 2000; i++) {
                Path f = all.get(i * all.size() / 2000);
                Files.createSymbolicLink(crops.resolve(i + "_" + f.getFileName()), f);
            }
        }
        try (KonomiRuntime rt = KonomiRuntime.start(PlatformBench.DIST, home, false, false)) {
            rt.awaitDeployed(5000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GogoSession s = new GogoSession(rt, InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true), false)) {
                Path plain = PlatformBench.SHARED.resolve("data/anime_illustrations_plain");
                run(s, out, "score:run -q --scorer preference,character --out " + work.resolve("warm") + " " + plain);
                double[] r = run(s, out, "score:run -q --scorer preference,character --out " + work.resolve("plain") + " " + plain);
                print("anime_illustrations_plain", "detect + preference + character", r);
                long before = PlatformBench.peakRssKb();
                double[] c = run(s, out, "score:run -q --faces --scorer preference --out " + work.resolve("crops-out") + " " + crops);
                print("holoen20 x2000 --faces", "preference", c);
                System.out.printf(Locale.ROOT, "{\"bench\": \"score_run_memory\", \"peak_rss_mb_before\": %.0f, \"peak_rss_mb_after\": %.0f}%n",
                        before / 1024.0, PlatformBench.peakRssKb() / 1024.0);
            }
        }
    }

    /**
     * Peak RSS of {@code konomi score:run --faces --scorer preference --sink json,csv} as its own process
     * (/usr/bin/time -v), on folders of 10,000 and 100,000 symlinks cycling through the 8,040 holoen20 crops;
     * the two must be within 10%. Sizes: {@code -Dkonomi.bench.rssImages=10000,100000}.
     */
    @Test
    void peakRssIsFlatInTheNumberOfImages(@TempDir Path work) throws Exception {
        List<Path> crops;
        try (Stream<Path> s = Files.walk(PlatformBench.SHARED.resolve("data/anime_faces_holoen20"))) {
            crops = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        Path script = Path.of("konomi").toAbsolutePath(); // the launcher module's start script
        List<long[]> figures = new java.util.ArrayList<>();
        for (String n : System.getProperty("konomi.bench.rssImages", "10000,100000").split(",")) {
            int images = Integer.parseInt(n.trim());
            Path dir = Files.createDirectories(work.resolve("images-" + images));
            for (int i = 0; i < images; i++) {
                Path f = crops.get(i % crops.size());
                Files.createSymbolicLink(dir.resolve(String.format(Locale.ROOT, "%06d_%s", i, f.getFileName())), f);
            }
            Path log = work.resolve("time-" + images + ".txt");
            long t0 = System.nanoTime();
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/time", "-v", "-o", log.toString(), script.toString(), "--home",
                    work.resolve("home-" + images).toString(), "score:run", "-q", "--faces", "--scorer", "preference", "--sink", "json,csv",
                    "--out", work.resolve("out-" + images).toString(), dir.toString())
                    .redirectOutput(work.resolve("out-" + images + ".txt").toFile()).redirectErrorStream(true);
            // memory is measured here, not speed: one OpenMP thread keeps ND4J from spinning against other processes
            // on a shared machine (measured 5 images/s with the default threads under load, 84 with one)
            pb.environment().put("OMP_NUM_THREADS", "1");
            Process p = pb.start();
            int status = p.waitFor();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (status != 0) {
                throw new IllegalStateException("score:run on " + images + " images exited " + status + ": "
                        + Files.readString(work.resolve("out-" + images + ".txt")));
            }
            Matcher m = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)").matcher(Files.readString(log));
            if (!m.find()) {
                throw new IllegalStateException("no peak RSS in " + Files.readString(log));
            }
            long kb = Long.parseLong(m.group(1));
            figures.add(new long[] {images, kb});
            System.out.printf(Locale.ROOT, "{\"bench\": \"score_run_peak_rss\", \"images\": %d, \"peak_rss_mb\": %.0f, \"seconds\": %.1f, "
                    + "\"images_per_s\": %.1f}%n", images, kb / 1024.0, seconds, images / seconds);
            // free the disk before the next size
            try (Stream<Path> links = Files.list(dir)) {
                for (Path l : (Iterable<Path>) links::iterator) {
                    Files.delete(l);
                }
            }
        }
        long[] first = figures.get(0), last = figures.get(figures.size() - 1);
        double ratio = (double) last[1] / first[1];
        System.out.printf(Locale.ROOT, "{\"bench\": \"score_run_peak_rss_ratio\", \"images\": [%d, %d], \"ratio\": %.3f}%n",
                first[0], last[0], ratio);
        org.assertj.core.api.Assertions.assertThat(ratio).as("peak RSS %d images / %d images", last[0], first[0]).isBetween(0.9, 1.1);
    }

    private static void print(String set, String what, double[] r) {
        System.out.printf(Locale.ROOT, "{\"bench\": \"score_run\", \"set\": \"%s\", \"scorers\": \"%s\", \"images\": %d, \"faces\": %d, "
                + "\"images_per_s\": %.1f, \"faces_per_s\": %.1f, \"cores\": %d}%n", set, what, (int) r[0], (int) r[1], r[3], r[4],
                PlatformBench.CORES);
    }

    /** images, faces, seconds, images/s, faces/s of one score:run, from its summary line. */
    private static double[] run(GogoSession s, ByteArrayOutputStream out, String line) {
        out.reset();
        GogoSession.Result r = s.run(line);
        if (r.status() != 0) {
            throw new IllegalStateException(line + ": " + r.message());
        }
        Matcher m = Pattern.compile("(\\d+) images, (\\d+) faces, \\d+ errors in ([0-9.]+) s \\(([0-9.]+) images/s, ([0-9.]+) faces/s\\)")
                .matcher(out.toString(StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException("no summary in output of " + line);
        }
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))};
    }
}
