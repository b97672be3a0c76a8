package konomi.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Konomi's embedded Felix: DL4J, ND4J, JavaCPP and OpenCV come from the launcher's class path (lib/)
 * and are exported through the system bundle; the application's bundles come from bundle/. The framework
 * cache is per process (several shells can run at once); configuration persists under the home's data/.
 */
public final class KonomiRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KonomiRuntime.class);
    private static final String SHELL = "org.apache.felix.gogo.jline";

    private final KonomiHome home;
    private final Felix felix;
    private final Path storage;
    private final List<String> startFailures = new ArrayList<>();
    private final AtomicLong lastServiceEvent = new AtomicLong(System.currentTimeMillis());

    private KonomiRuntime(KonomiHome home, Felix felix, Path storage) {
        this.home = home;
        this.felix = felix;
        this.storage = storage;
    }

    /**
     * Starts the framework with every bundle of {@code dist/bundle}.
     *
     * @param dist        the built application: lib/ (class path jars) and bundle/
     * @param home        the user's Konomi folder
     * @param interactive whether gogo.jline should open a console on the terminal
     */
    public static KonomiRuntime start(Path dist, Path home, boolean interactive, boolean debug) {
        KonomiHome h = new KonomiHome(home.toAbsolutePath().normalize()).create();
        // reports draw charts with AWT; there is no display
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        // DL4J's oneDNN layer helpers are off unless asked for (see org.nd4j.nativeblas.Nd4jCpu here)
        if (System.getProperty("org.eclipse.deeplearning4j.helpers.disable") == null) {
            System.setProperty("org.eclipse.deeplearning4j.helpers.disable", "false");
        }
        Path lib = dist.resolve("lib"), bundles = dist.resolve("bundle");
        if (!Files.isDirectory(lib) || !Files.isDirectory(bundles)) {
            throw new LaunchException(dist + ": not a built Konomi (lib/ and bundle/ missing); run ./mvnw -DskipTests package");
        }
        cleanStaleCaches(h.cache());
        Path storage = h.cache().resolve("felix-" + ProcessHandle.current().pid());
        Map<String, Object> cfg = new HashMap<>();
        try {
            cfg.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.of(SystemPackages.jarsIn(lib), h.cache()));
        } catch (IOException e) {
            throw new LaunchException(lib + ": cannot read class path jars: " + e.getMessage(), e);
        }
        cfg.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        cfg.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        cfg.put("felix.log.logger", new FelixLog());
        cfg.put("felix.log.level", debug ? "4" : "2");
        cfg.put("ds.loglevel", debug ? "debug" : "warn");
        // ConfigAdmin keeps its store in the per-process cache: configuration lives in etc/*.cfg (and
        // deploy/*.cfg), which FileInstall applies at every start, so files are the single source of truth
        cfg.put("felix.fileinstall.dir", h.deploy() + "," + h.etc());
        cfg.put("felix.fileinstall.poll", "250");
        cfg.put("felix.fileinstall.noInitialDelay", "true");
        cfg.put("felix.fileinstall.bundles.new.start", "true");
        cfg.put("felix.fileinstall.filter", ".*\\.(jar|xml|cfg|config)");
        cfg.put("felix.fileinstall.tmpdir", storage.resolve("fileinstall").toString());
        cfg.put("felix.fileinstall.log.level", "1");
        // FileInstall would otherwise write configurations back into the user's .cfg files, in place
        // (and emptied one at shutdown when measured); Konomi writes its own choices atomically instead
        cfg.put("felix.fileinstall.enableConfigSave", "false");
        cfg.put("felix.fileinstall.log.default", "jul");
        cfg.put("gosh.args", interactive ? "" : "--nointeractive --noshutdown");
        if (!interactive) {
            // a profile without line-reader settings (the stock one needs a console); see dist/gosh/etc
            cfg.put("gosh.home", dist.resolve("gosh").toString());
            System.setProperty("org.jline.terminal.dumb", "true"); // no console wanted, and no warning about it
        }
        cfg.put("konomi.home", h.root().toString());
        cfg.put("konomi.deploy", h.deploy().toString());
        cfg.put("konomi.etc", h.etc().toString());
        Felix felix = new Felix(cfg);
        KonomiRuntime rt = new KonomiRuntime(h, felix, storage);
        try {
            felix.init();
            felix.getBundleContext().addServiceListener(e -> rt.lastServiceEvent.set(System.currentTimeMillis()));
            felix.start();
            rt.installAndStart(bundles);
        } catch (BundleException | IOException e) {
            rt.close();
            throw new LaunchException("cannot start the OSGi framework: " + e.getMessage(), e);
        }
        return rt;
    }

    private void installAndStart(Path bundleDir) throws IOException {
        BundleContext ctx = felix.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        try (Stream<Path> s = Files.list(bundleDir)) {
            for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                try {
                    // reference: no copy into the cache; the jar stays where the build put it
                    installed.add(ctx.installBundle("reference:" + jar.toUri()));
                } catch (BundleException e) {
                    startFailures.add(jar.getFileName() + ": " + e.getMessage());
                }
            }
        }
        // the console (gogo.jline) starts last, once the commands it offers are there
        installed.sort(Comparator.comparing((Bundle b) -> SHELL.equals(b.getSymbolicName())));
        for (Bundle b : installed) {
            if (b.getHeaders("").get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            if (SHELL.equals(b.getSymbolicName())) {
                awaitQuiet(150, 5000);
            }
            try {
                b.start();
            } catch (BundleException e) {
                startFailures.add(b.getSymbolicName() + ": " + e.getMessage());
            }
        }
        startFailures.forEach(f -> LOG.error("bundle failed to start: {}", f));
    }

    /** Bundles of the application that could not start (a broken build or class path), one line each. */
    public List<String> startFailures() {
        return List.copyOf(startFailures);
    }

    public BundleContext context() {
        return felix.getBundleContext();
    }

    public KonomiHome home() {
        return home;
    }

    /** When a service was last registered, modified or unregistered: start-up has settled when this is old. */
    public long lastServiceEvent() {
        return lastServiceEvent.get();
    }

    /**
     * Waits until FileInstall has installed every jar already in deploy/ and applied every .cfg in etc/
     * and deploy/, and services have settled, so a command sees the same models and settings as the
     * previous session did.
     */
    public void awaitDeployed(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        List<String> jars = new ArrayList<>(), cfgs = new ArrayList<>();
        for (Path dir : List.of(home.deploy(), home.etc())) {
            try (Stream<Path> s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).forEach(n -> {
                    if (n.endsWith(".jar")) {
                        jars.add(n);
                    } else if (n.endsWith(".cfg") || n.endsWith(".config")) {
                        cfgs.add(n);
                    }
                });
            } catch (IOException e) {
                // a missing folder has nothing to wait for
            }
        }
        if (jars.isEmpty() && cfgs.isEmpty()) {
            return;
        }
        long configured = 0;
        while (System.currentTimeMillis() < deadline) {
            Bundle[] all = context().getBundles();
            boolean bundlesDone = jars.stream().allMatch(n -> Arrays.stream(all).anyMatch(b -> b.getLocation().endsWith("/" + n)
                    && b.getState() != Bundle.STARTING));
            if (bundlesDone && configured == 0 && configFiles().containsAll(cfgs)) {
                configured = System.currentTimeMillis();
            }
            // ConfigAdmin has the files; DS applies them asynchronously and then shows them as service
            // properties. A file no component uses (a typo in its PID) is given up on after a second.
            if (configured > 0 && (filesOnServices().containsAll(cfgs) || System.currentTimeMillis() - configured > 1000)
                    && System.currentTimeMillis() - lastServiceEvent.get() > 100) {
                return;
            }
            sleep(20);
        }
        LOG.warn("deploy/etc not fully applied within {} ms", timeoutMs);
    }

    /** Names of the configuration files whose properties a registered service carries. */
    private List<String> filesOnServices() {
        try {
            ServiceReference<?>[] refs = context().getAllServiceReferences(null, "(felix.fileinstall.filename=*)");
            return refs == null ? List.of() : Arrays.stream(refs).map(r -> String.valueOf(r.getProperty("felix.fileinstall.filename")))
                    .map(f -> f.substring(f.lastIndexOf('/') + 1)).toList();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Names of the files FileInstall has turned into configurations (ConfigAdmin is a bundle: reflection). */
    private List<String> configFiles() {
        BundleContext ctx = context();
        ServiceReference<?> ref = GogoSession.first(ctx, "org.osgi.service.cm.ConfigurationAdmin");
        if (ref == null) {
            return List.of();
        }
        Object cm = ctx.getService(ref);
        try {
            ClassLoader l = cm.getClass().getClassLoader();
            Class<?> cmType = l.loadClass("org.osgi.service.cm.ConfigurationAdmin");
            Class<?> confType = l.loadClass("org.osgi.service.cm.Configuration");
            Object[] confs = (Object[]) cmType.getMethod("listConfigurations", String.class)
                    .invoke(cm, "(felix.fileinstall.filename=*)");
            List<String> names = new ArrayList<>();
            for (Object c : confs == null ? new Object[0] : confs) {
                Dictionary<?, ?> props = (Dictionary<?, ?>) confType.getMethod("getProperties").invoke(c);
                String f = props == null ? null : String.valueOf(props.get("felix.fileinstall.filename"));
                if (f != null) {
                    names.add(f.substring(f.lastIndexOf('/') + 1));
                }
            }
            return names;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot list configurations", e);
            return List.of();
        } finally {
            ctx.ungetService(ref);
        }
    }

    /** Waits until no service has changed for {@code quietMs}, at most {@code timeoutMs}. */
    void awaitQuiet(long quietMs, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() - lastServiceEvent.get() < quietMs && System.currentTimeMillis() < deadline) {
            sleep(10);
        }
    }

    /** Blocks until the framework stops (the interactive shell stops it on exit). */
    public void awaitStop() throws InterruptedException {
        felix.waitForStop(0);
    }

    @Override
    public void close() {
        try {
            if ((felix.getState() & (Bundle.ACTIVE | Bundle.STARTING | Bundle.STOPPING)) != 0) {
                felix.stop();
                FrameworkEvent e = felix.waitForStop(10_000);
                if (e.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    LOG.warn("framework did not stop within 10 s");
                }
            }
        } catch (BundleException | InterruptedException e) {
            LOG.warn("stopping the framework: {}", e.toString());
        } finally {
            deleteTree(storage);
        }
    }

    /** Removes framework caches left by Konomi processes that no longer run. */
    private static void cleanStaleCaches(Path cache) {
        try (Stream<Path> s = Files.list(cache)) {
            s.filter(p -> p.getFileName().toString().startsWith("felix-")).forEach(p -> {
                try {
                    long pid = Long.parseLong(p.getFileName().toString().substring(6));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        deleteTree(p);
                    }
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            });
        } catch (IOException ignored) {
            // nothing to clean
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a later start cleans what is left
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
