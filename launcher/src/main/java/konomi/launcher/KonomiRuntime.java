package konomi.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.apache.felix.framework.Felix;
import org.osgi.framework.AllServiceListener;
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
    /**
     * The scheduler: in {@link Mode#SERVE} it runs schedules (catch-up runs at once), so it starts last, once
     * deploy/ and etc/ are in effect and the models are loaded ({@link #startScheduler()}); elsewhere it starts with the rest.
     */
    static final String SCHEDULER = "konomi.schedule";
    /** Framework property telling bundles how Konomi runs: interactive, command or serve (schedules run only in serve). */
    public static final String MODE_PROPERTY = "konomi.mode";
    /**
     * How often FileInstall looks at deploy/ and etc/: a jar dropped there is live within about this
     * much plus its start-up (see PlatformBench.hotDeploy); each look costs little CPU (a WatchService poll).
     * The system property konomi.fileinstall.poll overrides it.
     */
    public static final long FILEINSTALL_POLL_MS = 100;

    private final KonomiHome home;
    private final Felix felix;
    private final Path storage;
    private final List<String> startFailures = new ArrayList<>();
    private Bundle scheduler;
    /** Serve: gogo.jline, started with the scheduler and without a console, for the POSIX commands scripts use (echo, grep ...). */
    private Bundle gogoCommands;
    /** Counts bundle, service and framework events; waiters re-test their condition when it moves. */
    private final Object changes = new Object();
    private long changeCount;

    /** How the application runs: which of Gogo's console the framework gets. */
    public enum Mode {
        /** gogo.jline's console on the terminal. */
        INTERACTIVE,
        /** Commands run by the launcher (arguments, a script, piped stdin): no console, no line reader. */
        COMMAND,
        /**
         * Long-running, no console: gogo.jline starts last, with the scheduler, without a console or line reader
         * ({@code --nointeractive}), only for the commands schedules' scripts use.
         */
        SERVE
    }

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
        return start(dist, home, interactive ? Mode.INTERACTIVE : Mode.COMMAND, debug);
    }

    /**
     * Starts the framework with every bundle of {@code dist/bundle}; in {@link Mode#INTERACTIVE} the
     * console starts once deploy/ and etc/ are in effect, so its first prompt offers every command.
     */
    public static KonomiRuntime start(Path dist, Path home, Mode mode, boolean debug) {
        boolean interactive = mode == Mode.INTERACTIVE;
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
        cfg.put("felix.fileinstall.poll", String.valueOf(Long.getLong("konomi.fileinstall.poll", FILEINSTALL_POLL_MS)));
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
        cfg.put(MODE_PROPERTY, mode.name().toLowerCase(java.util.Locale.ROOT));
        cfg.put("konomi.deploy", h.deploy().toString());
        cfg.put("konomi.etc", h.etc().toString());
        Felix felix = new Felix(cfg);
        KonomiRuntime rt = new KonomiRuntime(h, felix, storage);
        try {
            felix.init();
            BundleContext ctx = felix.getBundleContext();
            // AllServiceListener: the launcher sees none of the services' classes, and wants every event
            ctx.addServiceListener((AllServiceListener) e -> rt.changed());
            ctx.addBundleListener(e -> rt.changed());
            ctx.addFrameworkListener(e -> rt.changed());
            felix.start();
            Bundle shell = rt.installAndStart(bundles, mode == Mode.SERVE);
            if (mode == Mode.SERVE) {
                rt.gogoCommands = shell;
            } else if (shell != null) {
                if (interactive) {
                    rt.awaitDeployed(5_000);
                }
                rt.startBundle(shell);
            }
            rt.startFailures.forEach(f -> LOG.error("bundle failed to start: {}", f));
        } catch (BundleException | IOException e) {
            rt.close();
            throw new LaunchException("cannot start the OSGi framework: " + e.getMessage(), e);
        }
        return rt;
    }

    /**
     * Installs and starts every bundle but the console (gogo.jline), which it returns (null if absent), and, when
     * {@code holdScheduler}, the scheduler, which {@link #startScheduler()} starts.
     */
    private Bundle installAndStart(Path bundleDir, boolean holdScheduler) throws IOException {
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
        // bundles start one after the other, each synchronously: SCR reads a bundle's components and
        // FileInstall scans deploy/ and etc/ while they start. The console (gogo.jline) is left to the caller.
        Bundle shell = null;
        for (Bundle b : installed) {
            if (b.getHeaders("").get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            if (SHELL.equals(b.getSymbolicName())) {
                shell = b;
                continue;
            }
            if (holdScheduler && SCHEDULER.equals(b.getSymbolicName())) {
                scheduler = b;
                continue;
            }
            startBundle(b);
        }
        return shell;
    }

    private void startBundle(Bundle b) {
        try {
            b.start();
        } catch (BundleException e) {
            startFailures.add(b.getSymbolicName() + ": " + e.getMessage());
        }
    }

    /**
     * {@code konomi serve}: starts the scheduler held back at start-up, once the caller has waited for deploy/, etc/
     * and the models, so a catch-up run at start sees every command and model. Returns its failure, or null.
     */
    public String startScheduler() {
        if (scheduler == null || !running()) {
            return null; // none, or stopping already (SIGTERM while waiting)
        }
        try {
            if (gogoCommands != null) {
                // --nointeractive (gosh.args): no console and no line reader, so nothing reads stdin or spins
                gogoCommands.start();
            }
            scheduler.start();
            return null;
        } catch (BundleException | IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** Bundles of the application that could not start (a broken build or class path), one line each. */
    public List<String> startFailures() {
        return List.copyOf(startFailures);
    }

    /** Whether the framework is up (not stopping or stopped). */
    public boolean running() {
        return felix.getState() == Bundle.ACTIVE;
    }

    public BundleContext context() {
        return felix.getBundleContext();
    }

    public KonomiHome home() {
        return home;
    }

    /**
     * Waits until the condition holds. It is tested now and again after each bundle, service or framework
     * event (never on a timer); {@code boundMs} is a last resort for a condition that events alone cannot
     * settle. The condition runs without any lock held: it may call into bundles.
     *
     * @return whether the condition holds
     */
    public boolean await(BooleanSupplier condition, long boundMs) {
        long deadline = System.nanoTime() + boundMs * 1_000_000;
        while (true) {
            long seen;
            synchronized (changes) {
                seen = changeCount;
            }
            if (condition.getAsBoolean()) {
                return true;
            }
            synchronized (changes) {
                while (changeCount == seen) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        changes.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
        }
    }

    private void changed() {
        synchronized (changes) {
            changeCount++;
            changes.notifyAll();
        }
    }

    /**
     * Waits until what deploy/ and etc/ held at start-up is in effect, so a command sees the same models and
     * settings as the previous session did. FileInstall scans both folders synchronously while its bundle
     * starts (noInitialDelay), so by now every jar it can install is installed and every .cfg is in
     * ConfigAdmin. What may still be under way: a model bundle's model being loaded by the extender, and
     * a configuration reaching the component that uses it. Both end in a service event.
     */
    public void awaitDeployed(long boundMs) {
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
        // which configurations a component with a service takes: only those can show on a service
        List<Components.Description> components = cfgs.isEmpty() ? List.of() : Components.descriptions(context());
        List<String> shown = cfgs.stream().filter(n -> components.stream().anyMatch(c -> !c.services().isEmpty()
                && (c.configurationPids().contains(pid(n)) || c.configurationPids().contains(factoryPid(n))))).toList();
        if (!await(() -> modelsSettled(jars) && filesOnServices().containsAll(shown), boundMs)) {
            LOG.warn("deploy/ and etc/ not fully applied within {} ms", boundMs);
        }
    }

    private static String pid(String cfg) {
        return cfg.substring(0, cfg.lastIndexOf('.'));
    }

    private static String factoryPid(String cfg) {
        String pid = pid(cfg);
        return pid.contains("-") ? pid.substring(0, pid.indexOf('-')) : pid;
    }

    /**
     * Whether the extender has decided about every model bundle of these deploy/ jars: its model is
     * registered, failed or waits for a factory. Other bundles only need to have started.
     */
    private boolean modelsSettled(List<String> jars) {
        Map<Long, String> states = modelStates();
        for (Bundle b : context().getBundles()) {
            String loc = b.getLocation();
            if (jars.stream().noneMatch(n -> loc.endsWith("/" + n))) {
                continue;
            }
            if (b.getState() == Bundle.STARTING) {
                return false;
            }
            if (b.getState() == Bundle.ACTIVE && b.getHeaders("").get("Konomi-Model") != null && states != null
                    && !SETTLED.contains(states.getOrDefault(b.getBundleId(), ""))) {
                return false;
            }
        }
        return true;
    }

    private static final Set<String> SETTLED = Set.of("ACTIVE", "FAILED", "WAITING");
    private static final String MODEL_REGISTRY = "konomi.api.model.ModelRegistry";

    /** The extender's state of each model bundle, by bundle id; null without an extender (nothing to wait for). */
    private Map<Long, String> modelStates() {
        BundleContext ctx = context();
        ServiceReference<?> ref = GogoSession.first(ctx, MODEL_REGISTRY);
        Object registry = ref == null ? null : ctx.getService(ref);
        if (registry == null) {
            return null;
        }
        try {
            Map<Long, String> out = new HashMap<>();
            for (Object status : (List<?>) Components.method(registry, MODEL_REGISTRY, "models").invoke(registry)) {
                Class<?> t = status.getClass();
                out.put((Long) t.getMethod("bundleId").invoke(status), String.valueOf(t.getMethod("state").invoke(status)));
            }
            return out;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot read the model registry", e);
            return null;
        } finally {
            ctx.ungetService(ref);
        }
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

    /**
     * Whether a command exists or is still coming: registered already, or declared by a component whose
     * service is not registered yet. False means it does not exist and will not (an unknown command).
     */
    boolean commandDeclared(String scope, String function) {
        return Components.descriptions(context()).stream().anyMatch(d -> d.declaresCommand(scope, function));
    }

    /** Stops the framework (asynchronously); {@link #awaitStop()} returns once it has stopped. */
    public void stop() {
        try {
            felix.stop();
        } catch (BundleException e) {
            LOG.warn("stopping the framework: {}", e.toString());
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
}
