package konomi.model.extender;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.Promises;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import konomi.api.KonomiException;
import konomi.api.ServiceProps;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelFactory;
import konomi.api.model.ModelRegistry;
import konomi.api.model.ModelStatus;
import konomi.api.model.ModelStatus.State;

/**
 * The extender: every active bundle with a {@code Konomi-Model} header that is wired to us (or, for bundles
 * made before the requirement existed, requires no {@code konomi.model} extender at all) is handed to the
 * {@link ModelFactory} registered for its kind and type, and the object it makes is registered as a service
 * with the model bundle's own context (properties in {@link ServiceProps}; newer versions of one name rank
 * higher). When the bundle stops, is updated or uninstalled, or its factory goes away, the service goes with
 * it. A broken bundle is recorded as FAILED with a one-line reason and logged; nothing else is disturbed.
 *
 * <p>Threads: bundle and factory events only record what happened and queue work; models are loaded on the
 * extender's own thread, one at a time, so FileInstall's thread never waits for a network to load. Unloading
 * is synchronous, as in SCR: the service is gone before its bundle or factory finishes stopping. The lock
 * guards the extender's maps only; factories, registrations and promise callbacks are called outside it.
 */
@Capability(namespace = ModelExtender.EXTENDER_NAMESPACE, name = ModelDescriptor.EXTENDER, version = ModelDescriptor.EXTENDER_VERSION)
@Component(immediate = true, service = ModelRegistry.class)
public class ModelExtender implements ModelRegistry {
    static final String EXTENDER_NAMESPACE = "osgi.extender";
    private static final Logger LOG = LoggerFactory.getLogger(ModelExtender.class);

    private final Object lock = new Object();
    /** By bundle id. Guarded by lock. */
    private final Map<Long, Entry> entries = new TreeMap<>();
    /** Files in deploy/ that are no bundle, by real path. Guarded by lock. */
    private final Map<Path, ModelStatus> unusable = new TreeMap<>();
    /** Guarded by lock. */
    private final List<ServiceReference<ModelFactory<?>>> factories = new ArrayList<>();
    /** Callers of {@link #settled}. Guarded by lock. */
    private final List<Waiter> waiters = new ArrayList<>();
    /** Callers of {@link #idle}. Guarded by lock. */
    private final List<Deferred<List<ModelStatus>>> idleWaiters = new ArrayList<>();
    /** Guarded by lock. */
    private boolean stopped;
    /** Null until activated. Guarded by lock. */
    private ExecutorService loader;

    private volatile BundleContext context;
    private BundleTracker<Entry> tracker;
    private ServiceRegistration<ArtifactInstaller> installer;

    /** One model bundle and what was made of it. Fields guarded by the extender's lock. */
    private static final class Entry {
        final Bundle bundle;
        final long id;
        final String location;
        final Path source;
        ModelDescriptor descriptor;
        State state = State.WAITING;
        String error;
        /** A load is queued on the loader thread. */
        boolean queued;
        /** The loader thread is loading it. */
        boolean loading;
        /** The bundle stopped: whatever a running load makes is thrown away. */
        boolean gone;
        Loaded loaded;

        Entry(Bundle bundle) {
            this.bundle = bundle;
            this.id = bundle.getBundleId();
            this.location = bundle.getLocation();
            this.source = sourceOf(location);
        }

        ModelStatus status() {
            return new ModelStatus(id, location, descriptor, state, error);
        }
    }

    /** What a successful load made; undone by {@link #unload}. */
    private record Loaded(ServiceReference<ModelFactory<?>> factoryRef, ModelFactory<Object> factory, Object service,
                          ServiceRegistration<?> registration, Path extracted) {
    }

    /** A load given up because its bundle or the extender stopped. */
    private static final class Abandoned extends Exception {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    private record Waiter(Path file, Deferred<ModelStatus> deferred) {
    }

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        synchronized (lock) {
            loader = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "konomi-model-loader");
                t.setDaemon(true);
                return t;
            });
        }
        tracker = new BundleTracker<>(context, Bundle.ACTIVE, new BundleTrackerCustomizer<>() {
            @Override
            public Entry addingBundle(Bundle bundle, BundleEvent event) {
                return added(bundle);
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
        UnusableFiles files = new UnusableFiles(DeployFolder.of(context), new UnusableFiles.Sink() {
            @Override
            public void unusable(Path file, String reason) {
                fileUnusable(file, reason);
            }

            @Override
            public void usable(Path file) {
                fileUsable(file);
            }

            @Override
            public boolean reported(Path file) {
                synchronized (lock) {
                    return unusable.containsKey(DeployFolder.real(file));
                }
            }
        });
        files.reportExisting();
        installer = context.registerService(ArtifactInstaller.class, files, null);
    }

    @Deactivate
    void deactivate() {
        ExecutorService l;
        synchronized (lock) {
            stopped = true;
            l = loader;
        }
        try {
            installer.unregister();
        } catch (IllegalStateException alreadyGone) {
            // our bundle is stopping and the framework was first
        }
        tracker.close(); // unloads every model
        l.shutdown();
        try {
            // a load in progress finishes, sees we stopped and undoes itself
            if (!l.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("a model still loads after 30 s; leaving it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Waiter> left;
        List<Deferred<List<ModelStatus>>> leftIdle;
        synchronized (lock) {
            left = new ArrayList<>(waiters);
            waiters.clear();
            leftIdle = new ArrayList<>(idleWaiters);
            idleWaiters.clear();
            unusable.clear();
        }
        IllegalStateException stoppedEx = new IllegalStateException("the model extender stopped");
        left.forEach(w -> w.deferred().fail(stoppedEx));
        leftIdle.forEach(d -> d.fail(stoppedEx));
        context = null;
    }

    @Reference(service = ModelFactory.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeFactory")
    void addFactory(ServiceReference<ModelFactory<?>> ref) {
        synchronized (lock) {
            factories.add(ref);
            entries.values().forEach(this::queue);
        }
    }

    void removeFactory(ServiceReference<ModelFactory<?>> ref) {
        List<Entry> affected = new ArrayList<>();
        List<Loaded> toUnload = new ArrayList<>();
        synchronized (lock) {
            factories.remove(ref);
            for (Entry e : entries.values()) {
                if (e.loaded != null && ref.equals(e.loaded.factoryRef())) {
                    affected.add(e);
                    toUnload.add(e.loaded);
                    e.loaded = null;
                    // to be loaded again once unloaded (another factory may take over); queued already, so
                    // nothing queues it twice and idle() waits for it
                    e.state = State.LOADING;
                    e.error = null;
                    e.queued = true;
                }
            }
        }
        // unregister and dispose while the factory is still there (DS unbinds before it goes)
        for (int i = 0; i < affected.size(); i++) {
            unload(toUnload.get(i), affected.get(i).location);
        }
        List<Runnable> after;
        synchronized (lock) {
            for (Entry e : affected) {
                if (stopped || loader == null) {
                    e.queued = false;
                } else {
                    loader.execute(() -> load(e));
                }
            }
            after = settle();
        }
        after.forEach(Runnable::run);
    }

    @Override
    public List<ModelStatus> models() {
        synchronized (lock) {
            List<ModelStatus> all = new ArrayList<>(entries.values().stream().map(Entry::status).toList());
            all.addAll(unusable.values());
            return all;
        }
    }

    @Override
    public Optional<Path> modelFile(String kind, String name) {
        synchronized (lock) {
            return entries.values().stream()
                    .filter(e -> e.state == State.ACTIVE && e.loaded != null && e.loaded.extracted() != null
                            && e.descriptor.kind().equals(kind) && e.descriptor.name().equals(name))
                    .max(Comparator.comparing((Entry e) -> e.bundle.getVersion()))
                    .map(e -> e.loaded.extracted());
        }
    }

    @Override
    public Promise<ModelStatus> settled(Path file) {
        Path key = DeployFolder.real(file);
        Deferred<ModelStatus> d = new Deferred<>();
        ModelStatus now;
        synchronized (lock) {
            if (stopped) {
                return Promises.failed(new IllegalStateException("the model extender stopped"));
            }
            now = settledStatus(key);
            if (now == null) {
                waiters.add(new Waiter(key, d));
            }
        }
        if (now != null) {
            d.resolve(now);
        }
        return d.getPromise();
    }

    @Override
    public Promise<List<ModelStatus>> idle() {
        Deferred<List<ModelStatus>> d = new Deferred<>();
        List<Runnable> after;
        synchronized (lock) {
            if (stopped) {
                return Promises.failed(new IllegalStateException("the model extender stopped"));
            }
            idleWaiters.add(d);
            after = settle();
        }
        after.forEach(Runnable::run);
        return d.getPromise();
    }

    /** Tracker callback, on the thread that started the bundle. */
    private Entry added(Bundle bundle) {
        String header = bundle.getHeaders("").get(ModelDescriptor.HEADER);
        if (header == null || !wiredToUs(bundle)) {
            return null;
        }
        Entry e = new Entry(bundle);
        try {
            e.descriptor = ModelHeader.parse(header, bundle.getSymbolicName(), bundle.getVersion().toString(), e.location);
        } catch (KonomiException ex) {
            e.state = State.FAILED;
            e.error = ex.getMessage();
            LOG.error("model bundle {}: {}", e.location, e.error);
        }
        List<Runnable> after;
        synchronized (lock) {
            if (stopped) {
                return null;
            }
            entries.put(e.id, e);
            queue(e);
            after = settle();
        }
        after.forEach(Runnable::run);
        return e;
    }

    /** Tracker callback, on the thread stopping the bundle: the service goes before the bundle does. */
    private void removed(Entry e) {
        Loaded l;
        synchronized (lock) {
            e.gone = true;
            entries.remove(e.id);
            l = e.loaded;
            e.loaded = null;
        }
        unload(l, e.location);
        LOG.info("model bundle {} gone", e.location);
    }

    /**
     * SCR's rule: a bundle that requires the konomi.model extender is ours only when it is wired to this
     * bundle; a bundle with no such requirement (made before it existed) is served for compatibility.
     */
    private boolean wiredToUs(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        if (wiring == null) {
            return false; // uninstalled meanwhile
        }
        for (BundleWire wire : wiring.getRequiredWires(EXTENDER_NAMESPACE)) {
            if (ModelDescriptor.EXTENDER.equals(wire.getCapability().getAttributes().get(EXTENDER_NAMESPACE))) {
                boolean ours = context.getBundle().adapt(BundleRevision.class).equals(wire.getProvider());
                if (!ours) {
                    LOG.debug("model bundle {} is wired to another extender: {}", bundle.getLocation(), wire.getProvider());
                }
                return ours;
            }
        }
        return true;
    }

    /** Queues a load if the entry waits for one. Caller holds the lock. */
    private void queue(Entry e) {
        if (loader != null && !stopped && !e.gone && !e.queued && e.loaded == null && e.state == State.WAITING) {
            e.queued = true;
            e.state = State.LOADING;
            e.error = null;
            loader.execute(() -> load(e));
        }
    }

    /** On the loader thread. */
    @SuppressWarnings("unchecked")
    private void load(Entry e) {
        ModelDescriptor d;
        ServiceReference<ModelFactory<?>> ref;
        List<Runnable> idleNow;
        synchronized (lock) {
            e.queued = false;
            if (e.gone || stopped || e.state != State.LOADING || e.loaded != null) {
                idleNow = settle();
                ref = null;
                d = null;
            } else {
                d = e.descriptor;
                ref = factories.stream()
                        .filter(r -> matches(r.getProperty(ModelFactory.KIND), d.kind()) && matches(r.getProperty(ModelFactory.TYPE), d.type()))
                        .max(Comparator.naturalOrder()).orElse(null);
                if (ref == null) {
                    e.state = State.WAITING;
                    e.error = "no installed bundle loads " + d.kind() + " models of type " + d.type();
                    idleNow = settle();
                } else {
                    e.loading = true;
                    idleNow = List.of();
                }
            }
        }
        idleNow.forEach(Runnable::run);
        if (ref == null) {
            if (d != null) {
                LOG.info("model {} waits: {}", d.name(), "no installed bundle loads " + d.kind() + " models of type " + d.type());
            }
            return;
        }
        BundleContext own = context;
        BundleContext modelContext = e.bundle.getBundleContext();
        ModelFactory<Object> factory = null;
        Object service = null;
        ServiceRegistration<?> registration = null;
        Path extracted = null;
        String failure = null;
        try {
            if (own == null || modelContext == null) {
                // the bundle or the extender stopped meanwhile; removed() has cleaned up
                throw new Abandoned();
            }
            factory = (ModelFactory<Object>) own.getService(ref);
            if (factory == null) {
                throw new KonomiException("the " + d.kind() + " factory for type " + d.type() + " of bundle "
                        + ref.getBundle().getSymbolicName() + " is not available (it failed to start?)");
            }
            extracted = extract(e.bundle, d.file());
            service = factory.create(d, extracted);
            registration = modelContext.registerService(factory.serviceType().getName(), service, properties(e, d));
        } catch (Abandoned ex) {
            // nothing made, nothing to report
        } catch (Exception | LinkageError ex) {
            failure = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            LOG.debug("model load failure", ex);
        }
        Loaded made = new Loaded(ref, factory, service, registration, extracted);
        boolean keep;
        boolean again = false;
        List<Runnable> after;
        synchronized (lock) {
            e.loading = false;
            keep = failure == null && registration != null && !e.gone && !stopped && factories.contains(ref);
            if (keep) {
                e.loaded = made;
                e.state = State.ACTIVE;
                e.error = null;
            } else if (failure != null && !e.gone) {
                e.state = State.FAILED;
                e.error = failure;
            } else if (!e.gone && !stopped && factory != null) {
                // its factory went while we loaded: undo, then try again (another may take over); it stays
                // LOADING and queued meanwhile, so idle() is not told a moment too early
                e.queued = true;
                again = true;
            } else if (!e.gone) {
                e.state = State.WAITING;
            }
            after = settle();
        }
        if (keep) {
            LOG.info("model {} {} ({} {}) registered from {}", d.name(), d.version(), d.kind(), d.type(), e.location);
        } else {
            if (failure != null) {
                LOG.error("model bundle {}: {}", e.location, failure);
            }
            unload(made, e.location);
        }
        after.forEach(Runnable::run);
        if (again) {
            load(e); // we are the loader thread
        }
    }

    private Hashtable<String, Object> properties(Entry e, ModelDescriptor d) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(ServiceProps.NAME, d.name());
        props.put(ServiceProps.KIND, d.kind());
        props.put(ServiceProps.TYPE, d.type());
        props.put(ServiceProps.VERSION, d.version());
        props.put(ServiceProps.MODEL_BUNDLE, d.bundle());
        props.put(ServiceProps.MODEL_BUNDLE_ID, e.id);
        props.put(Constants.SERVICE_RANKING, rank(e.bundle.getVersion()));
        return props;
    }

    /** Undoes a load, in the reverse order; never under the lock. */
    private void unload(Loaded l, String location) {
        if (l == null) {
            return;
        }
        if (l.registration() != null) {
            try {
                l.registration().unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it as the model bundle stopped
            }
        }
        if (l.service() != null) {
            try {
                l.factory().dispose(l.service());
            } catch (RuntimeException | LinkageError ex) {
                LOG.warn("disposing the model of {} failed: {}", location, ex.toString());
            }
        }
        BundleContext own = context;
        if (l.factory() != null && own != null) {
            try {
                own.ungetService(l.factoryRef());
            } catch (IllegalStateException ignored) {
                // our context is being invalidated
            }
        }
        deleteExtracted(l.extracted());
    }

    private void fileUnusable(Path file, String reason) {
        Path key = DeployFolder.real(file);
        List<Runnable> after;
        ModelStatus before;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            before = unusable.put(key, new ModelStatus(-1, key.toFile().toURI().toString(), null, State.FAILED, reason));
            after = settle();
        }
        if (before == null || !reason.equals(before.error())) {
            LOG.error("{}: {}", file, reason);
        }
        after.forEach(Runnable::run);
    }

    private void fileUsable(Path file) {
        synchronized (lock) {
            unusable.remove(DeployFolder.real(file));
        }
    }

    /** Resolutions due for the waiters whose file settled; run them once the lock is released. Caller holds it. */
    private List<Runnable> settle() {
        List<Runnable> due = new ArrayList<>();
        if (!idleWaiters.isEmpty() && entries.values().stream().noneMatch(e -> e.queued || e.loading)) {
            List<ModelStatus> now = new ArrayList<>(entries.values().stream().map(Entry::status).toList());
            now.addAll(unusable.values());
            for (Deferred<List<ModelStatus>> d : idleWaiters) {
                due.add(() -> d.resolve(now));
            }
            idleWaiters.clear();
        }
        for (var it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            ModelStatus s = settledStatus(w.file());
            if (s != null) {
                it.remove();
                due.add(() -> w.deferred().resolve(s));
            } else if (!Files.exists(w.file())) {
                it.remove(); // a caller that timed out and removed its file
                due.add(() -> w.deferred().fail(new IllegalStateException(w.file() + ": deleted")));
            }
        }
        return due;
    }

    /** The status of the newest bundle (or the unusable file) from this file unless it is loading. Caller holds the lock. */
    private ModelStatus settledStatus(Path file) {
        ModelStatus found = null;
        for (Entry e : entries.values()) {
            if (file.equals(e.source) && e.state != State.LOADING) {
                found = e.status();
            }
        }
        return found != null ? found : unusable.get(file);
    }

    /** The file a bundle was installed from, or null when its location names none. */
    static Path sourceOf(String location) {
        if (location == null) {
            return null;
        }
        String l = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        if (l.startsWith(CascadeBundles.PROTOCOL + ":")) {
            l = l.substring(CascadeBundles.PROTOCOL.length() + 1);
        }
        if (!l.startsWith("file:")) {
            return null;
        }
        try {
            return DeployFolder.real(Path.of(new URI(l)));
        } catch (Exception e) {
            return null;
        }
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

    private static void deleteExtracted(Path extracted) {
        if (extracted != null) {
            try {
                Files.deleteIfExists(extracted);
                Files.deleteIfExists(extracted.getParent());
            } catch (IOException ignored) {
                // the framework cache is per process and removed at exit anyway
            }
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
