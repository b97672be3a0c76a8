package konomi.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

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
        "osgi.command.function=use"})
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

    @Reference
    private ConfigurationAdmin configAdmin;

    @Activate
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
        ImageSource source = source(folder);
        long t0 = System.nanoTime();
        Table table = new Table("file", "faces", "boxes");
        List<String> errors = new ArrayList<>();
        int images = 0, faces = 0;
        try (AtomicFile csv = out.isEmpty() ? null : new AtomicFile(Path.of(out), force);
             Stream<SourceItem> items = source.open(folder)) {
            if (csv != null) {
                csv.writer().write("file,x1,y1,x2,y2,confidence\n");
            }
            for (SourceItem item : (Iterable<SourceItem>) items::iterator) {
                List<Face> found;
                try {
                    Image image = Images.decode(item.id(), item.read());
                    found = detector.detector.detect(image);
                } catch (IOException e) {
                    errors.add(item.id() + ": cannot read: " + e.getMessage());
                    continue;
                } catch (KonomiException e) {
                    errors.add(e.getMessage());
                    continue;
                }
                images++;
                faces += found.size();
                table.row(item.id(), found.size(), found.stream()
                        .map(f -> f.box() + "@" + String.format(Locale.ROOT, "%.2f", f.confidence()))
                        .collect(Collectors.joining(" ")));
                if (csv != null) {
                    for (Face f : found) {
                        csv.writer().write(csvField(item.id()) + "," + f.box() + ","
                                + String.format(Locale.ROOT, "%.4f", f.confidence()) + "\n");
                    }
                }
            }
            if (csv != null) {
                csv.commit();
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        table.print(stdout);
        stdout.printf(Locale.ROOT, "%d images, %d faces, %d skipped in %.2f s (%.1f images/s), detector %s %s%n",
                images, faces, errors.size(), secs, images / Math.max(secs, 1e-9), detector.detector.name(),
                detector.props.getOrDefault("konomi.version", ""));
        if (!out.isEmpty()) {
            stdout.println("wrote " + Path.of(out).toAbsolutePath());
        }
        for (String e : errors) {
            System.err.println("skipped " + e);
        }
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

    @Descriptor("make detect:run use the named detector (kept across restarts); 'auto' picks the newest default")
    public void use(@Descriptor("detector name from detect:list, or auto") String name) throws IOException, InterruptedException {
        String filter = null;
        if (!"auto".equals(name)) {
            if (all.stream().noneMatch(r -> name.equals(r.getProperty("konomi.name")))) {
                throw new KonomiException("no detector named '" + name + "'; installed: " + names());
            }
            filter = "(konomi.name=" + name.replaceAll("([\\\\()*])", "\\\\$1") + ")";
        }
        Configuration c = configAdmin.getConfiguration(PID, "?");
        Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        if (filter == null) {
            props.remove(TARGET);
        } else {
            props.put(TARGET, filter);
        }
        c.update(props);
        // ConfigAdmin delivers asynchronously: wait so that the next command already uses the new detector
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            Bound b = active;
            if (b != null && java.util.Objects.equals(filter, target) && ("auto".equals(name) || name.equals(b.props.get("konomi.name")))) {
                System.out.println("detector " + b.props.get("konomi.name") + " " + b.props.get("konomi.version") + " active");
                return;
            }
            Thread.sleep(20);
        }
        throw new KonomiException("detector '" + name + "' did not become active within " + WAIT_MS / 1000 + " s");
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
