package konomi.model.extender;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelFactory;
import konomi.api.model.ModelRegistry;
import konomi.api.model.ModelStatus;
import konomi.api.model.ModelStatus.State;

/**
 * The extender: every active bundle with a {@code Konomi-Model} header is handed to the
 * {@link ModelFactory} registered for its kind and type, and the object it makes is registered as a
 * service (properties {@code konomi.name}, {@code konomi.kind}, {@code konomi.type}, {@code konomi.version};
 * newer versions of one name rank higher). When the bundle stops, is updated or uninstalled, or its
 * factory goes away, the service goes with it. A broken bundle is recorded as FAILED with a one-line
 * reason and logged; nothing else is disturbed.
 */
@Component(immediate = true)
public class ModelExtender implements ModelRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ModelExtender.class);

    private final Map<Long, Entry> entries = new TreeMap<>();
    private final List<ServiceReference<ModelFactory<?>>> factories = new ArrayList<>();
    private BundleContext context;
    private BundleTracker<Entry> tracker;

    /** One model bundle and what was made of it. Guarded by the extender. */
    private static final class Entry {
        final Bundle bundle;
        ModelDescriptor descriptor;
        State state;
        String error;
        ServiceReference<ModelFactory<?>> factoryRef;
        ModelFactory<Object> factory;
        Object service;
        ServiceRegistration<?> registration;
        Path extracted;

        Entry(Bundle bundle) {
            this.bundle = bundle;
        }
    }

    @Activate
    void activate(BundleContext context) {
        synchronized (this) {
            this.context = context;
        }
        tracker = new BundleTracker<>(context, Bundle.ACTIVE, new BundleTrackerCustomizer<>() {
            @Override
            public Entry addingBundle(Bundle bundle, BundleEvent event) {
                return bundle.getHeaders("").get(ModelDescriptor.HEADER) == null ? null : added(bundle);
            }

            @Override
            public void modifiedBundle(Bundle bundle, BundleEvent event, Entry entry) {
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Entry entry) {
                removed(entry);
            }
        });
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
        synchronized (this) {
            entries.values().forEach(this::unload);
            entries.clear();
            context = null;
        }
    }

    @Reference(service = ModelFactory.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addFactory(ServiceReference<ModelFactory<?>> ref) {
        factories.add(ref);
        if (context != null) {
            entries.values().stream().filter(e -> e.state == State.WAITING).forEach(this::load);
        }
    }

    synchronized void removeFactory(ServiceReference<ModelFactory<?>> ref) {
        factories.remove(ref);
        for (Entry e : entries.values()) {
            if (ref.equals(e.factoryRef)) {
                unload(e);
                e.state = State.WAITING;
                load(e); // another factory of the same kind/type may take over
            }
        }
    }

    @Override
    public synchronized List<ModelStatus> models() {
        return entries.values().stream()
                .map(e -> new ModelStatus(e.bundle.getBundleId(), e.bundle.getLocation(), e.descriptor, e.state, e.error))
                .toList();
    }

    @Override
    public synchronized java.util.Optional<Path> modelFile(String kind, String name) {
        return entries.values().stream()
                .filter(e -> e.state == State.ACTIVE && e.extracted != null && e.descriptor.kind().equals(kind) && e.descriptor.name().equals(name))
                .max(Comparator.comparing((Entry e) -> e.bundle.getVersion()))
                .map(e -> e.extracted);
    }

    private synchronized Entry added(Bundle bundle) {
        Entry e = new Entry(bundle);
        entries.put(bundle.getBundleId(), e);
        try {
            e.descriptor = ModelHeader.parse(bundle.getHeaders("").get(ModelDescriptor.HEADER), bundle.getSymbolicName(),
                    bundle.getVersion().toString(), bundle.getLocation());
            e.state = State.WAITING;
            load(e);
        } catch (KonomiException ex) {
            fail(e, ex.getMessage());
        }
        return e;
    }

    private synchronized void removed(Entry e) {
        unload(e);
        entries.remove(e.bundle.getBundleId());
        LOG.info("model bundle {} gone", e.bundle.getLocation());
    }

    @SuppressWarnings("unchecked")
    private void load(Entry e) {
        ModelDescriptor d = e.descriptor;
        ServiceReference<ModelFactory<?>> ref = factories.stream()
                .filter(r -> matches(r.getProperty(ModelFactory.KIND), d.kind()) && matches(r.getProperty(ModelFactory.TYPE), d.type()))
                .max(Comparator.naturalOrder()).orElse(null);
        if (ref == null) {
            e.error = "no installed bundle loads " + d.kind() + " models of type " + d.type();
            LOG.info("model {} waits: {}", d.name(), e.error);
            return;
        }
        ModelFactory<Object> factory = (ModelFactory<Object>) context.getService(ref);
        if (factory == null) {
            return;
        }
        try {
            e.extracted = extract(e.bundle, d.file());
            Object service = factory.create(d, e.extracted);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("konomi.name", d.name());
            props.put("konomi.kind", d.kind());
            props.put("konomi.type", d.type());
            props.put("konomi.version", d.version());
            props.put("konomi.model.bundle", d.bundle());
            props.put("konomi.model.bundle.id", e.bundle.getBundleId());
            props.put(Constants.SERVICE_RANKING, rank(e.bundle.getVersion()));
            e.factoryRef = ref;
            e.factory = factory;
            e.service = service;
            e.registration = context.registerService(factory.serviceType().getName(), service, props);
            e.state = State.ACTIVE;
            e.error = null;
            LOG.info("model {} {} ({} {}) registered from {}", d.name(), d.version(), d.kind(), d.type(), e.bundle.getLocation());
        } catch (Exception | LinkageError ex) {
            context.ungetService(ref);
            deleteExtracted(e);
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            fail(e, msg);
            LOG.debug("model load failure", ex);
        }
    }

    private void unload(Entry e) {
        if (e.registration != null) {
            try {
                e.registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it while stopping us
            }
            e.registration = null;
        }
        if (e.service != null) {
            try {
                e.factory.dispose(e.service);
            } catch (RuntimeException ex) {
                LOG.warn("disposing model {} failed: {}", e.descriptor.name(), ex.toString());
            }
            e.service = null;
        }
        if (e.factoryRef != null && context != null) {
            try {
                context.ungetService(e.factoryRef);
            } catch (IllegalStateException ignored) {
                // our context is being invalidated
            }
        }
        e.factoryRef = null;
        e.factory = null;
        deleteExtracted(e);
    }

    private void fail(Entry e, String reason) {
        e.state = State.FAILED;
        e.error = reason;
        LOG.error("model bundle {}: {}", e.bundle.getLocation(), reason);
    }

    /** Copies the model file out of the bundle: OpenCV and friends want a real file. */
    private Path extract(Bundle bundle, String entry) throws IOException {
        URL url = bundle.getEntry(entry);
        if (url == null) {
            throw new KonomiException("model file " + entry + " is missing from " + bundle.getSymbolicName());
        }
        String fileName = entry.substring(entry.lastIndexOf('/') + 1);
        Path dir = context.getDataFile("model-" + bundle.getBundleId() + "-" + bundle.getLastModified()).toPath();
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName);
        try (InputStream in = url.openStream()) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private void deleteExtracted(Entry e) {
        if (e.extracted != null) {
            try {
                Files.deleteIfExists(e.extracted);
                Files.deleteIfExists(e.extracted.getParent());
            } catch (IOException ignored) {
                // the framework cache is per process and removed at exit anyway
            }
            e.extracted = null;
        }
    }

    /** A factory property is one value or several (String[] or a collection). */
    static boolean matches(Object property, String value) {
        if (property instanceof String[] a) {
            return java.util.Arrays.asList(a).contains(value);
        }
        if (property instanceof java.util.Collection<?> c) {
            return c.contains(value);
        }
        return value.equals(property);
    }

    /** Newer versions of a model rank higher, so a name resolves to its newest installed version. */
    static int rank(Version v) {
        return Math.min(v.getMajor(), 2000) * 1_000_000 + Math.min(v.getMinor(), 999) * 1_000 + Math.min(v.getMicro(), 999);
    }
}
