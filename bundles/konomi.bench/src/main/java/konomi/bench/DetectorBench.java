package konomi.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.ServiceProps;
import konomi.imaging.Images;
import konomi.imaging.boxes.BoxLabels;

/**
 * {@code bench:detect}: the pictures of a folder are decoded once and kept in memory, then every detector runs
 * over all of them: warm-up passes, then timed passes. Detection alone is timed (decoding is timed separately,
 * once per pass), so detectors compare on the same footing; every detector of a run sees the same images.
 */
@Component(service = DetectorBench.class)
public class DetectorBench {
    /** One detector's figures. */
    public record Row(String name, String version, String type, int images, int passes, int faces, double seconds, double bestPassSeconds) {
        public double imagesPerSecond() {
            return images * passes / Math.max(seconds, 1e-9);
        }

        public double bestImagesPerSecond() {
            return images / Math.max(bestPassSeconds, 1e-9);
        }
    }

    /** A whole run: the rows, the decoding rate, the largest side met, memory after the run. */
    public record Result(List<Row> rows, int images, int maxSide, double decodePerSecond, long rssKb, long peakRssKb, long heapUsedMb) {
    }

    private record Detector(FaceDetector service, Map<String, Object> props) {
        String name() {
            return String.valueOf(props.get(ServiceProps.NAME));
        }

        String prop(String key) {
            Object v = props.get(key);
            return v == null ? "" : v.toString();
        }

        int ranking() {
            return props.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
        }
    }

    private final List<Detector> detectors = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDetector(FaceDetector d, Map<String, Object> props) {
        detectors.add(new Detector(d, props));
    }

    void removeDetector(FaceDetector d) {
        detectors.removeIf(x -> x.service() == d);
    }

    /**
     * @param names  detector names (newest version of each), or empty for every installed detector
     * @param warmup untimed passes per detector
     * @param passes timed passes per detector, at least 1
     */
    public Result run(Path folder, List<String> names, int warmup, int passes) {
        if (passes < 1 || warmup < 0) {
            throw new KonomiException("--passes must be at least 1 and --warmup at least 0, not " + passes + " and " + warmup);
        }
        List<Detector> chosen = choose(names);
        List<Path> files = images(folder);
        List<Image> decoded = new ArrayList<>(files.size());
        long d0 = System.nanoTime();
        for (Path f : files) {
            decoded.add(decode(folder, f));
        }
        double decodeSeconds = (System.nanoTime() - d0) / 1e9;
        int maxSide = decoded.stream().mapToInt(i -> Math.max(i.width(), i.height())).max().orElse(0);
        List<Row> rows = new ArrayList<>();
        for (Detector d : chosen) {
            for (int i = 0; i < warmup; i++) {
                pass(d, decoded);
            }
            double total = 0, best = Double.MAX_VALUE;
            int faces = 0;
            for (int i = 0; i < passes; i++) {
                long t0 = System.nanoTime();
                faces = pass(d, decoded);
                double s = (System.nanoTime() - t0) / 1e9;
                total += s;
                best = Math.min(best, s);
            }
            rows.add(new Row(d.name(), d.prop(ServiceProps.VERSION), d.prop(ServiceProps.TYPE), decoded.size(), passes, faces, total, best));
        }
        Runtime rt = Runtime.getRuntime();
        return new Result(rows, decoded.size(), maxSide, decoded.size() / Math.max(decodeSeconds, 1e-9), status("VmRSS"), status("VmHWM"),
                (rt.totalMemory() - rt.freeMemory()) >> 20);
    }

    private static int pass(Detector d, List<Image> images) {
        int faces = 0;
        for (Image i : images) {
            faces += d.service().detect(i).size();
        }
        return faces;
    }

    private List<Detector> choose(List<String> names) {
        List<Detector> all = List.copyOf(detectors);
        String installed = all.stream().map(Detector::name).distinct().sorted().collect(Collectors.joining(", "));
        if (all.isEmpty()) {
            throw new KonomiException("no face detector installed");
        }
        List<String> wanted = names.isEmpty() ? all.stream().map(Detector::name).distinct().sorted().toList() : names;
        List<Detector> chosen = new ArrayList<>();
        for (String n : wanted) {
            chosen.add(all.stream().filter(d -> d.name().equals(n)).max(Comparator.comparingInt(Detector::ranking))
                    .orElseThrow(() -> new KonomiException("no detector named '" + n + "'; installed: " + installed)));
        }
        return chosen;
    }

    private static List<Path> images(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new KonomiException(folder + ": folder not found");
        }
        try (Stream<Path> walk = Files.walk(folder, FileVisitOption.FOLLOW_LINKS)) {
            List<Path> files = walk.filter(BoxLabels::isImage).sorted().toList();
            if (files.isEmpty()) {
                throw new KonomiException(folder + ": no images (jpg, png, bmp, webp)");
            }
            return files;
        } catch (IOException | UncheckedIOException e) {
            throw new KonomiException(folder + ": cannot list folder: " + e.getMessage(), e);
        }
    }

    private static Image decode(Path folder, Path file) {
        try {
            return Images.decode(folder.relativize(file).toString(), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new KonomiException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** A figure in kB from /proc/self/status (Linux), or -1. */
    private static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return -1;
    }
}
