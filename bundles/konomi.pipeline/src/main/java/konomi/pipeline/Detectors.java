package konomi.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import konomi.api.FaceDetector;
import konomi.api.KonomiException;
import konomi.api.ServiceProps;
import konomi.api.pipeline.DetectorChoice;
import konomi.api.sink.ModelRef;

/**
 * The active detector is the reference named {@code detector}, whose target filter comes from configuration
 * {@link DetectorChoice#PID} ({@link DetectorChoice#TARGET}): {@link #use} updates that configuration through
 * ConfigurationAdmin and DS rebinds the reference, no restart. The choice is also written to
 * {@code etc/konomi.detect.cfg}, which FileInstall applies at every start (ConfigAdmin's own store lives in the
 * per-process framework cache). Waiting, for a detector at start-up or for the rebind, is on DS callbacks.
 * Without a choice the first installed of {@link #PREFERRED} is used (the centre-head CNN {@code centre}, else the
 * cascade {@code animeface}, else the YOLOv2 CNN {@code yolo}; README "Detection"), else the newest installed detector.
 */
@Component(service = {DetectorChoice.class, Detectors.class}, configurationPid = DetectorChoice.PID)
public class Detectors implements DetectorChoice {
    /**
     * How long a run waits for a detector that is still being loaded, and detect:use for DS to rebind. The wait ends
     * as soon as one is there; the first start on a new machine unpacks OpenCV's native libraries (JavaCPP's cache)
     * before the cascade can bind, which took more than 5 s once (as model:install's wait, 30 s).
     */
    static final long WAIT_MS = 30_000;
    /** The default detectors, best first (measured on the validation pictures), used when no detector is chosen. */
    static final List<String> PREFERRED = List.of("centre", "animeface", "yolo");

    private final Changes changes = new Changes();
    private final List<Bound<FaceDetector>> all = new CopyOnWriteArrayList<>();
    private volatile Bound<FaceDetector> active;
    private volatile String target;
    private Path etc;

    @Reference
    private ConfigurationAdmin configAdmin;

    @Activate
    void activate(BundleContext context, Map<String, Object> props) {
        String e = context.getProperty("konomi.etc");
        etc = Path.of(e == null ? "etc" : e);
        modified(props);
    }

    @Modified
    void modified(Map<String, Object> props) {
        Object t = props.get(TARGET);
        target = t == null || t.toString().isBlank() ? null : t.toString();
        changes.signal();
    }

    @Reference(name = "detector", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedDetector")
    void bindDetector(FaceDetector d, Map<String, Object> props) {
        active = new Bound<>(d, props);
        changes.signal();
    }

    void updatedDetector(FaceDetector d, Map<String, Object> props) {
        bindDetector(d, props);
    }

    void unbindDetector(FaceDetector d) {
        Bound<FaceDetector> b = active;
        if (b != null && b.service() == d) {
            active = null;
        }
        changes.signal();
    }

    @Reference(name = "all", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addInstalled(FaceDetector d, Map<String, Object> props) {
        all.add(new Bound<>(d, props));
        changes.signal();
    }

    void removeInstalled(FaceDetector d) {
        all.removeIf(b -> b.service() == d);
        changes.signal();
    }

    @Override
    public List<ModelRef> installed() {
        return all.stream().sorted(Bound.byNameNewestFirst()).map(Bound::ref).toList();
    }

    @Override
    public Optional<ModelRef> active() {
        return Optional.ofNullable(current()).map(Bound::ref);
    }

    /** The detector runs use now: the one DS bound to the chosen target, or without a choice the preferred one. */
    private Bound<FaceDetector> current() {
        Bound<FaceDetector> bound = active;
        String t = target;
        if (t != null) {
            // between a new choice and DS rebinding, the bound detector may still be the previous one; and DS tells
            // the two references of a detector that goes away one after the other: use it only while both have it
            return bound != null && matches(t, bound) && all.stream().anyMatch(b -> b.service() == bound.service()) ? bound : null;
        }
        for (String name : PREFERRED) {
            Bound<FaceDetector> b = newest(name);
            if (b != null) {
                return b;
            }
        }
        return bound;
    }

    private static boolean matches(String filter, Bound<FaceDetector> b) {
        try {
            return org.osgi.framework.FrameworkUtil.createFilter(filter).matches(b.props());
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            return true; // DS refuses such a target itself; nothing better to wait for
        }
    }

    private Bound<FaceDetector> newest(String name) {
        return all.stream().filter(x -> x.name().equals(name))
                .max(java.util.Comparator.comparingInt((Bound<FaceDetector> x) -> x.ranking()).thenComparingLong(x -> x.serviceId()))
                .orElse(null);
    }

    @Override
    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    /**
     * The detector a run starts with: the named one (newest version), or the active one; waits for it while it
     * is still being loaded, at most {@link #WAIT_MS}.
     */
    Bound<FaceDetector> resolve(String name) {
        Bound<FaceDetector> b = changes.await(() -> name == null ? current() : newest(name), WAIT_MS);
        if (b != null) {
            return b;
        }
        if (name != null) {
            throw new KonomiException("no detector named '" + name + "'; installed: " + names());
        }
        String t = target;
        throw new KonomiException(t == null ? "no face detector installed"
                : "detector " + t + " is not installed (detect:list shows the installed ones; detect:use <name> switches)");
    }

    @Override
    public ModelRef use(String name) {
        String filter = null;
        if (!AUTO.equals(name)) {
            if (all.stream().noneMatch(b -> b.name().equals(name))) {
                throw new KonomiException("no detector named '" + name + "'; installed: " + names());
            }
            filter = "(" + ServiceProps.NAME + "=" + name.replaceAll("([\\\\()*])", "\\\\$1") + ")";
        }
        // kept across restarts: FileInstall applies etc/ at every start
        ConfigFile.set(etc.resolve(PID + ".cfg"), TARGET, filter);
        try {
            Configuration c = configAdmin.getConfiguration(PID, "?");
            Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
            if (filter == null) {
                props.remove(TARGET);
            } else {
                props.put(TARGET, filter);
            }
            c.update(props);
        } catch (IOException e) {
            throw new KonomiException(PID + ": cannot update configuration: " + e.getMessage(), e);
        }
        String wanted = filter;
        Bound<FaceDetector> b = changes.await(() -> {
            Bound<FaceDetector> a = current();
            return a != null && Objects.equals(wanted, target) && (AUTO.equals(name) || name.equals(a.name())) ? a : null;
        }, WAIT_MS);
        if (b == null) {
            throw new KonomiException("detector '" + name + "' did not become active within " + WAIT_MS / 1000 + " s");
        }
        return b.ref();
    }

    String names() {
        return all.stream().map(Bound::name).distinct().sorted().collect(Collectors.joining(", "));
    }
}
