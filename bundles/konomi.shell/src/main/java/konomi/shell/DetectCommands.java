package konomi.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import konomi.util.AtomicFile;
import konomi.api.Box;
import konomi.api.Face;
import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.ImageSource;
import konomi.api.KonomiException;
import konomi.api.SourceItem;
import konomi.imaging.Images;
import konomi.shell.DetectorSelection.Bound;

/**
 * {@code detect:run}, {@code detect:list}, {@code detect:use}. The active detector is the reference
 * named {@code detector}; {@code detect:use} sets its target filter in configuration {@code konomi.detect}
 * ({@code detector.target}), which ConfigAdmin persists and DS applies without a restart.
 */
@Component(service = DetectCommands.class, property = {
        "osgi.command.scope=detect", "osgi.command.function=run", "osgi.command.function=list",
        "osgi.command.function=use", "osgi.command.function=eval"})
public class DetectCommands {
    @Reference
    private DetectorSelection selection;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ImageSource> sources;

    @Descriptor("find anime faces in every image of a folder (recursive): prints file, face count and boxes "
            + "(x1,y1,x2,y2@confidence in original pixels); --out writes file,x1,y1,x2,y2,confidence rows")
    public void run(
            @Descriptor("CSV file to write, one row per face; refuses to replace an existing file without --force")
            @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("replace an existing --out file")
            @Parameter(names = {"-f", "--force"}, absentValue = "false", presentValue = "true") boolean force,
            @Descriptor("folder (or single image) to read") String folder) throws IOException {
        PrintStream stdout = System.out;
        Bound detector = selection.await();
        Table table = new Table("file", "faces", "boxes");
        int[] counts = new int[2];
        Run run;
        try (AtomicFile csv = out.isEmpty() ? null : new AtomicFile(Path.of(out), force)) {
            if (csv != null) {
                csv.writer().write("file,x1,y1,x2,y2,confidence\n");
            }
            run = detectEach(detector, folder, (id, found) -> {
                counts[0]++;
                counts[1] += found.size();
                table.row(id, found.size(), found.stream()
                        .map(f -> f.box() + "@" + String.format(Locale.ROOT, "%.2f", f.confidence()))
                        .collect(Collectors.joining(" ")));
                if (csv != null) {
                    for (Face f : found) {
                        csv.writer().write(csvField(id) + "," + f.box() + "," + String.format(Locale.ROOT, "%.4f", f.confidence()) + "\n");
                    }
                }
            });
            if (csv != null) {
                csv.commit();
            }
        }
        table.print(stdout);
        stdout.printf(Locale.ROOT, "%d images, %d faces, %d skipped in %.2f s (%.1f images/s), detector %s %s%n",
                counts[0], counts[1], run.errors.size(), run.seconds, counts[0] / Math.max(run.seconds, 1e-9),
                detector.name(), detector.version());
        if (!out.isEmpty()) {
            stdout.println("wrote " + Path.of(out).toAbsolutePath());
        }
        run.errors.forEach(e -> System.err.println("skipped " + e));
    }

    @Descriptor("measure the active detector on labelled images: recall and precision at its settings, and AP "
            + "over its confidence ranking, matching boxes at IoU >= --iou")
    public void eval(
            @Descriptor("labelled boxes, CSV with header file,x1,y1,x2,y2 (default: <folder>/boxes.csv)")
            @Parameter(names = {"-b", "--boxes"}, absentValue = "") String boxes,
            @Descriptor("IoU a detection needs to match a labelled box")
            @Parameter(names = {"--iou"}, absentValue = "0.5") double iou,
            @Descriptor("folder of labelled images") String folder) throws IOException {
        Bound detector = selection.await();
        Map<String, List<Box>> truth = BoxesCsv.read(boxes.isEmpty() ? Path.of(folder, "boxes.csv") : Path.of(boxes));
        Map<String, List<Face>> found = new java.util.HashMap<>();
        // an image without labelled boxes has no faces: each of its detections is a false positive
        Run run = detectEach(detector, folder, found::put);
        DetectionMetrics m = DetectionMetrics.of(truth, found, iou);
        String at = String.format(Locale.ROOT, "%.2f", iou);
        new Table("metric", "value")
                .row("detector", detector.name() + " " + detector.version())
                .row("images", found.size())
                .row("labelled faces", m.truths())
                .row("detections", m.detections())
                .row("true positives", m.truePositives())
                .row("recall@" + at, String.format(Locale.ROOT, "%.3f", m.recall()))
                .row("precision@" + at, String.format(Locale.ROOT, "%.3f", m.precision()))
                .row("AP@" + at, String.format(Locale.ROOT, "%.3f", m.ap()))
                .print(System.out);
        run.errors.forEach(e -> System.err.println("skipped " + e));
    }

    private interface Sink {
        void accept(String id, List<Face> faces) throws IOException;
    }

    private record Run(List<String> errors, double seconds) {
    }

    /** Streams the folder through the detector; unreadable images are collected as errors, never fatal. */
    private Run detectEach(Bound detector, String folder, Sink sink) throws IOException {
        ImageSource source = source(folder);
        long t0 = System.nanoTime();
        List<String> errors = new ArrayList<>();
        try (Stream<SourceItem> items = source.open(folder)) {
            for (SourceItem item : (Iterable<SourceItem>) items::iterator) {
                Image image;
                try {
                    image = Images.decode(item.id(), item.read());
                } catch (IOException e) {
                    errors.add(item.id() + ": cannot read: " + e.getMessage());
                    continue;
                } catch (KonomiException e) {
                    errors.add(e.getMessage());
                    continue;
                }
                // a detector failure (bad configuration ...) is not the image's fault: it ends the command
                sink.accept(item.id(), detector.detector().detect(image));
            }
        }
        return new Run(errors, (System.nanoTime() - t0) / 1e9);
    }

    @Descriptor("list the installed face detectors; * marks the one detect:run and score:run use")
    public void list() {
        Bound a = selection.active();
        Table t = new Table("", "name", "type", "version", "from");
        selection.all().stream()
                .sorted(Comparator.comparing((ServiceReference<FaceDetector> r) -> String.valueOf(r.getProperty("konomi.name")))
                        .thenComparing(Comparator.reverseOrder()))
                .forEach(r -> t.row(a != null && a.props().get("service.id").equals(r.getProperty("service.id")) ? "*" : "",
                        r.getProperty("konomi.name"), r.getProperty("konomi.type"), r.getProperty("konomi.version"),
                        r.getProperty("konomi.model.bundle")));
        t.print(System.out);
        if (a == null) {
            System.out.println(selection.target() == null ? "no detector installed" : "active detector " + selection.target() + " is not installed");
        }
    }

    @Descriptor("make detect:run and score:run use the named detector, kept in etc/konomi.detect.cfg; 'auto' picks the newest installed")
    public void use(@Descriptor("detector name from detect:list, or auto") String name) throws InterruptedException {
        Bound b = selection.use(name);
        System.out.println("detector " + b.name() + " " + b.version() + " active");
    }

    private ImageSource source(String location) {
        List<ImageSource> s = sources == null ? List.of() : sources;
        return s.stream().filter(x -> x.accepts(location)).findFirst()
                .orElseThrow(() -> new KonomiException(location + ": no image source understands this location"));
    }

    static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
