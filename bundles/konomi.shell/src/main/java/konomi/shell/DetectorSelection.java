package konomi.shell;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import konomi.api.FaceDetector;
import konomi.api.KonomiException;

/**
 * Which detector detect:run and score:run use: the reference named {@code detector}, whose target filter
 * comes from configuration {@code konomi.detect} ({@code detector.target}, kept in etc/konomi.detect.cfg), so
 * ConfigAdmin persists the choice and DS applies it without a restart. Without a target the newest wins.
 */
@Component(service = DetectorSelection.class, configurationPid = DetectorSelection.PID)
public class DetectorSelection {
    static final String PID = "konomi.detect";
    static final String TARGET = "detector.target";
    static final long WAIT_MS = 5000;

    record Bound(FaceDetector detector, Map<String, Object> props) {
        String name() {
            return String.valueOf(props.get("konomi.name"));
        }

        String version() {
            return String.valueOf(props.getOrDefault("konomi.version", ""));
        }
    }

    private volatile Bound active;
    private volatile String target;
    private final List<ServiceReference<FaceDetector>> all = new CopyOnWriteArrayList<>();
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

    Bound active() {
        return active;
    }

    String target() {
        return target;
    }

    List<ServiceReference<FaceDetector>> all() {
        return all;
    }

    /** The active detector, waiting a little for one at start-up. */
    Bound await() {
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

    /** Makes the named detector (or "auto") the active one and waits until DS has switched. */
    Bound use(String name) throws InterruptedException {
        String filter = null;
        if (!"auto".equals(name)) {
            if (all.stream().noneMatch(r -> name.equals(r.getProperty("konomi.name")))) {
                throw new KonomiException("no detector named '" + name + "'; installed: " + names());
            }
            filter = "(konomi.name=" + name.replaceAll("([\\\\()*])", "\\\\$1") + ")";
        }
        ConfigFile.set(etc.resolve(PID + ".cfg"), TARGET, filter);
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            Bound b = active;
            if (b != null && java.util.Objects.equals(filter, target) && ("auto".equals(name) || name.equals(b.name()))) {
                return b;
            }
            Thread.sleep(20);
        }
        throw new KonomiException("detector '" + name + "' did not become active within " + WAIT_MS / 1000 + " s (is " + etc + " watched?)");
    }

    String names() {
        return all.stream().map(r -> String.valueOf(r.getProperty("konomi.name"))).distinct().sorted().collect(Collectors.joining(", "));
    }
}
