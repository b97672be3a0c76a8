package konomi.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
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

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.ImageSource;
import konomi.api.KonomiException;
import konomi.api.SourceItem;
import konomi.imaging.Images;

/**
 * {@code detect:run}, {@code detect:list}, {@code detect:use}. The active detector is the reference
 * named {@code detector}; {@code detect:use} sets its target filter in configuration {@code konomi.detect}
 * ({@code detector.target}), which ConfigAdmin persists and DS applies without a restart.
 */
@Component(service = DetectCommands.class, configurationPid = DetectCommands.PID, property = {
        "osgi.command.scope=detect", "osgi.command.function=run", "osgi.command.function=list",
        "osgi.command.function=use", "osgi.command.function=eval"})
public class DetectCommands {
    static final String PID = "konomi.detect";
    static final String TARGET = "detector.target";
    private static final long WAIT_MS = 5000;

    private record Bound(FaceDetector detector, Map<String, Object> props) {
    }

    private volatile Bound active;
    private volatile String target;
    private final List<ServiceReference<FaceDetector>> all = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ImageSource> sources;

    private Path etc;

    @Activate
    void activate(BundleContext context, Map<String, Object> props) {
        String e = context.getProperty("konomi.etc");
        etc = Path.of(e == null ? "etc" : e);
        configure(props);
    }

    @Modified
    void configure(Map<String, Object> props) {
        Object t = props.get(TARGET);
        target = t == null ? null : t.toString();
    }

    @Reference(name = "detector", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDetector(FaceDetector d, Map<String, Object> props) {
        active = new Bound(d, props);
    }

    void unbindDetector(FaceDetector d) {
        Bound b = active;
        if (b != null && b.detector == d) {
            active = null;
        }
    }

    @Reference(service = FaceDetector.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDetectorRef(ServiceReference<FaceDetector> ref) {
        all.add(ref);
    }

    void removeDetectorRef(ServiceReference<FaceDetector> ref) {
        all.remove(ref);
    }

    @Descriptor("find anime faces in every image of a folder (recursive): prints file, face count and boxes "
            + "(x1,y1,x2,y2@confidence in original pixels); --out writes file,x1,y1,x2,y2,confidence rows")
    public void run(
            @Descriptor("CSV file to write, one row per face; refuses to replace an existing file without --force")
            @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("replace an existing --out file")
            @Parameter(names = {"-f", "--force"}, absentValue = "false", presentValue = "true") boolean force,
            @Descriptor("folder (or single image) to read") String folder) throws IOException {
        PrintStream stdout = System.out;
        Bound detector = waitForDetector();
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
                detector.detector.name(), detector.props.getOrDefault("konomi.version", ""));
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
        Bound detector = waitForDetector();
        Map<String, List<Box>> truth = BoxesCsv.read(boxes.isEmpty() ? Path.of(folder, "boxes.csv") : Path.of(boxes));
        Map<String, List<Face>> found = new java.util.HashMap<>();
        // an image without labelled boxes has no faces: each of its detections is a false positive
        Run run = detectEach(detector, folder, found::put);
        DetectionMetrics m = DetectionMetrics.of(truth, found, iou);
        String at = String.format(Locale.ROOT, "%.2f", iou);
        new Table("metric", "value")
                .row("detector", detector.detector.name() + " " + detector.props.getOrDefault("konomi.version", ""))
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
                sink.accept(item.id(), detector.detector.detect(image));
            }
        }
        return new Run(errors, (System.nanoTime() - t0) / 1e9);
    }

    @Descriptor("list the installed face detectors; * marks the one detect:run uses")
    public void list() {
        Bound a = active;
        Table t = new Table("", "name", "type", "version", "from");
        all.stream().sorted(Comparator.comparing((ServiceReference<FaceDetector> r) -> String.valueOf(r.getProperty("konomi.name")))
                        .thenComparing(Comparator.reverseOrder()))
                .forEach(r -> t.row(a != null && a.props.get("service.id").equals(r.getProperty("service.id")) ? "*" : "",
                        r.getProperty("konomi.name"), r.getProperty("konomi.type"), r.getProperty("konomi.version"),
                        r.getProperty("konomi.model.bundle")));
        t.print(System.out);
        if (a == null) {
            System.out.println(target == null ? "no detector installed" : "active detector " + target + " is not installed");
        }
    }

    @Descriptor("make detect:run use the named detector, kept in etc/konomi.detect.cfg; 'auto' picks the newest installed")
    public void use(@Descriptor("detector name from detect:list, or auto") String name) throws InterruptedException {
        String filter = null;
        if (!"auto".equals(name)) {
            if (all.stream().noneMatch(r -> name.equals(r.getProperty("konomi.name")))) {
                throw new KonomiException("no detector named '" + name + "'; installed: " + names());
            }
            filter = "(konomi.name=" + name.replaceAll("([\\\\()*])", "\\\\$1") + ")";
        }
        // The choice is a configuration file that FileInstall feeds to ConfigAdmin, which DS applies to
        // the "detector" reference: visible and editable in etc/, and the same at every start.
        ConfigFile.set(etc.resolve(PID + ".cfg"), TARGET, filter);
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            Bound b = active;
            if (b != null && Objects.equals(filter, target) && ("auto".equals(name) || name.equals(b.props.get("konomi.name")))) {
                System.out.println("detector " + b.props.get("konomi.name") + " " + b.props.get("konomi.version") + " active");
                return;
            }
            Thread.sleep(20);
        }
        throw new KonomiException("detector '" + name + "' did not become active within " + WAIT_MS / 1000
                + " s (is " + etc + " watched?)");
    }

    private Bound waitForDetector() {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        Bound b;
        while ((b = active) == null && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (b == null) {
            throw new KonomiException(target == null ? "no face detector installed"
                    : "detector " + target + " is not installed (detect:list shows the installed ones; detect:use <name> switches)");
        }
        return b;
    }

    private ImageSource source(String location) {
        List<ImageSource> s = sources == null ? List.of() : sources;
        return s.stream().filter(x -> x.accepts(location)).findFirst()
                .orElseThrow(() -> new KonomiException(location + ": no image source understands this location"));
    }

    private String names() {
        return all.stream().map(r -> String.valueOf(r.getProperty("konomi.name"))).distinct().sorted()
                .collect(Collectors.joining(", "));
    }

    static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
