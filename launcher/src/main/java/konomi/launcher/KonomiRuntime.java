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
import java.util.stream.Stream;

import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Konomi's embedded Felix: DL4J, ND4J, JavaCPP and OpenCV come from the launcher's class path (lib/)
 * and are exported through the system bundle; the application's bundles come from bundle/. The framework
 * cache is per process (several shells can run at once); configuration persists under the home's data/.
 */
public final class KonomiRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KonomiRuntime.class);

    private final KonomiHome home;
    private final Felix felix;
    private final Path storage;
    private final List<String> startFailures = new ArrayList<>();

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
        cfg.put("felix.cm.dir", h.data().resolve("config").toString());
        cfg.put("felix.fileinstall.dir", h.deploy() + "," + h.etc());
        cfg.put("felix.fileinstall.poll", "250");
        cfg.put("felix.fileinstall.noInitialDelay", "true");
        cfg.put("felix.fileinstall.bundles.new.start", "true");
        cfg.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        cfg.put("felix.fileinstall.tmpdir", storage.resolve("fileinstall").toString());
        cfg.put("felix.fileinstall.log.level", "1");
        cfg.put("felix.fileinstall.log.default", "jul");
        cfg.put("gosh.args", interactive ? "" : "--nointeractive --noshutdown");
        cfg.put("gosh.home", dist.resolve("gosh").toString());
        if (!interactive) {
            System.setProperty("org.jline.terminal.dumb", "true"); // no console wanted, and no warning about it
        }
        cfg.put("konomi.home", h.root().toString());
        cfg.put("konomi.deploy", h.deploy().toString());
        cfg.put("konomi.etc", h.etc().toString());
        Felix felix = new Felix(cfg);
        KonomiRuntime rt = new KonomiRuntime(h, felix, storage);
        try {
            felix.init();
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
        for (Bundle b : installed) {
            if (b.getHeaders("").get(Constants.FRAGMENT_HOST) != null) {
                continue;
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

    /**
     * Waits until FileInstall has installed every jar already in deploy/ and nothing is still starting,
     * so a command sees the same models as the previous session did.
     */
    public void awaitDeployed(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        List<String> wanted;
        try (Stream<Path> s = Files.list(home.deploy())) {
            wanted = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar") && !n.startsWith(".")).toList();
        } catch (IOException e) {
            return;
        }
        while (System.currentTimeMillis() < deadline) {
            Bundle[] all = context().getBundles();
            boolean done = wanted.stream().allMatch(n -> Arrays.stream(all).anyMatch(b -> b.getLocation().endsWith("/" + n)
                    && b.getState() != Bundle.STARTING));
            if (done) {
                return;
            }
            sleep(20);
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
