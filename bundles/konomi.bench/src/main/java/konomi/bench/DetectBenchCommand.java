package konomi.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code bench:detect}: parse, call {@link DetectorBench}, print one row per detector. */
@Component(service = DetectBenchCommand.class, property = {"osgi.command.scope=bench", "osgi.command.function=detect"})
public class DetectBenchCommand {
    /** Twelve illustrations up to 1024 px, beside the checkout. */
    static final String DEFAULT_FOLDER = "../shared/data/anime_illustrations_plain";

    @Reference
    private DetectorBench bench;

    @Descriptor("illustrations/s of each installed face detector side by side: the same pictures, decoded once and kept in memory, "
            + "detection alone timed after warm-up passes; with the process's RSS and heap")
    public void detect(
            @Descriptor("detectors, comma separated (default: every installed one)") @Parameter(names = {"-d", "--detectors"}, absentValue = "") String detectors,
            @Descriptor("timed passes over the folder per detector") @Parameter(names = {"-p", "--passes"}, absentValue = "5") int passes,
            @Descriptor("untimed warm-up passes per detector") @Parameter(names = {"-w", "--warmup"}, absentValue = "2") int warmup,
            @Descriptor("tab-separated rows without header, for scripts") @Parameter(names = {"--no-format"}, absentValue = "false", presentValue = "true") boolean noFormat,
            @Descriptor("folder of illustrations (default " + DEFAULT_FOLDER + ")") String... folder) {
        if (folder.length > 1) {
            throw new IllegalArgumentException("bench:detect takes one folder, not " + folder.length);
        }
        List<String> names = Arrays.stream(detectors.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
        Path dir = Path.of(folder.length == 0 ? DEFAULT_FOLDER : folder[0]);
        DetectorBench.Result r = bench.run(dir, names, warmup, passes);
        String[] header = {"detector", "version", "type", "images/s", "best pass images/s", "ms/image", "faces/pass"};
        List<String[]> rows = r.rows().stream().map(x -> new String[] {x.name(), x.version(), x.type(), fixed(x.imagesPerSecond(), 1),
                fixed(x.bestImagesPerSecond(), 1), fixed(1000 / x.imagesPerSecond(), 1), String.valueOf(x.faces())}).toList();
        print(header, rows, noFormat);
        System.out.printf(Locale.ROOT, "%d images (largest side %d px) from %s, %d warm-up + %d timed passes per detector; decoding "
                + "%.1f images/s; RSS %d MB (peak %d MB), heap used %d MB%n", r.images(), r.maxSide(), dir.toAbsolutePath().normalize(),
                warmup, passes, r.decodePerSecond(), r.rssKb() >> 10, r.peakRssKb() >> 10, r.heapUsedMb());
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Aligned with a header, or tab-separated rows without one (the shell's table format; the bench bundle has its own copy). */
    private static void print(String[] header, List<String[]> rows, boolean noFormat) {
        if (noFormat) {
            rows.forEach(r -> System.out.println(String.join("\t", r)));
            return;
        }
        int[] w = new int[header.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = header[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        line(header, w);
        line(Arrays.stream(w).mapToObj("-"::repeat).toArray(String[]::new), w);
        rows.forEach(r -> line(r, w));
    }

    private static void line(String[] cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            sb.append(i > 0 ? "  " : "").append(cells[i]).append(i < cells.length - 1 ? " ".repeat(w[i] - cells[i].length()) : "");
        }
        System.out.println(sb.toString().stripTrailing());
    }
}
