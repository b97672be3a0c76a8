package konomi.launcher.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.launcher.GogoSession;
import konomi.launcher.KonomiRuntime;

/**
 * DL4J against PyTorch in one run ({@code ./mvnw -B -Pbench verify -Dtest=NetsBench}): ../shared/bench/torch_ref.py
 * (Debian's python3-torch, skipped with a note when it is missing), then {@code bench:nets} as shipped, then a
 * table of DL4J/PyTorch ratios. {@code -Dkonomi.bench.seconds=N} sets the seconds per net and mode (default 8).
 */
@Tag("bench")
class NetsBench {
    /** One JSON line of either engine: net, mode, images/s (the lines are flat, so a pattern reads them). */
    record Line(String net, String mode, double imagesPerS) {
        private static final Pattern P = Pattern.compile(
                "\"net\": \"([^\"]+)\", \"mode\": \"([^\"]+)\".*\"images_per_s\": ([0-9.]+)");

        static Line parse(String json) {
            Matcher m = P.matcher(json);
            if (!m.find()) {
                throw new IllegalStateException("not a benchmark line: " + json);
            }
            return new Line(m.group(1), m.group(2), Double.parseDouble(m.group(3)));
        }
    }

    @Test
    void netsAgainstPyTorch(@TempDir Path home) throws Exception {
        String seconds = System.getProperty("konomi.bench.seconds", "8");
        List<Line> torch = torch(seconds);
        List<Line> dl4j = new ArrayList<>();
        try (KonomiRuntime rt = KonomiRuntime.start(PlatformBench.DIST, home, false, false)) {
            rt.awaitDeployed(5000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GogoSession s = new GogoSession(rt, InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true), false)) {
                GogoSession.Result r = s.run("bench:nets --seconds " + seconds);
                if (r.status() != 0) {
                    throw new IllegalStateException("bench:nets: " + r.message());
                }
            }
            for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("{")) {
                    System.out.println(line);
                    dl4j.add(Line.parse(line));
                }
            }
        }
        Map<String, Double> reference = new LinkedHashMap<>();
        torch.forEach(t -> reference.put(t.net() + " " + t.mode(), t.imagesPerS()));
        System.out.println("| net | mode | PyTorch images/s | DL4J images/s | DL4J / PyTorch |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (Line d : dl4j) {
            Double p = reference.get(d.net() + " " + d.mode());
            double v = d.imagesPerS();
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %.1f | %s |%n", d.net(), d.mode(),
                    p == null ? "-" : String.format(Locale.ROOT, "%.1f", p), v, p == null ? "-" : String.format(Locale.ROOT, "%.2f×", v / p));
        }
    }

    /** torch_ref.py's JSON lines, or none (with a note) when Debian's python3-torch is not installed. */
    private static List<Line> torch(String seconds) throws IOException, InterruptedException {
        Path bench = PlatformBench.SHARED.resolve("bench");
        Path python = Path.of("/usr/bin/python3");
        List<Line> lines = new ArrayList<>();
        if (!Files.isExecutable(python) || !Files.exists(bench.resolve("torch_ref.py"))) {
            System.out.println("{\"note\": \"no /usr/bin/python3 or torch_ref.py: DL4J figures only\"}");
            return lines;
        }
        Process p = new ProcessBuilder(python.toString(), "torch_ref.py", "--threads", "2", "--seconds", seconds)
                .directory(bench.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.out.println("{\"note\": \"torch_ref.py failed (apt-get install python3-torch): DL4J figures only\"}");
            return lines;
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("{")) {
                System.out.println(line);
                lines.add(Line.parse(line));
            }
        }
        return lines;
    }
}
