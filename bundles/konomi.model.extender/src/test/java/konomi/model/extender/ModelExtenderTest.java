package konomi.model.extender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import konomi.api.ServiceProps;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelFactory;
import konomi.api.model.ModelStatus;
import konomi.api.model.ModelStatus.State;

/**
 * The extender in a real, bare framework (no DS: the test binds factories the way DS would), with factories
 * that block, so bundle and factory events can be made to race with a load.
 */
class ModelExtenderTest {
    @TempDir
    Path dir;
    Felix felix;
    BundleContext ctx;
    ModelExtender extender;

    /** Makes Runnables; create() blocks until the gate opens; a model file saying "broken" fails. */
    static final class GatedFactory implements ModelFactory<Runnable> {
        final CountDownLatch gate = new CountDownLatch(1), entered = new CountDownLatch(1);
        final AtomicInteger created = new AtomicInteger(), disposed = new AtomicInteger();

        GatedFactory open() {
            gate.countDown();
            return this;
        }

        @Override
        public Class<Runnable> serviceType() {
            return Runnable.class;
        }

        @Override
        public Runnable create(ModelDescriptor d, Path file) throws Exception {
            entered.countDown();
            assertThat(gate.await(10, TimeUnit.SECONDS)).isTrue();
            if (Files.readString(file).contains("broken")) {
                throw new Exception(d.file() + ": not a test model");
            }
            created.incrementAndGet();
            return () -> {
            };
        }

        @Override
        public void dispose(Runnable service) {
            disposed.incrementAndGet();
        }
    }

    @BeforeEach
    void start() throws Exception {
        // the extender runs on the system bundle's context here, so the system bundle provides its capability
        felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, dir.resolve("fw").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_SYSTEMCAPABILITIES_EXTRA, "osgi.extender;osgi.extender=konomi.model;version:Version=1.0"));
        felix.start();
        ctx = felix.getBundleContext();
        extender = new ModelExtender();
        extender.activate(ctx);
    }

    @AfterEach
    void stop() throws Exception {
        if (extender != null) {
            extender.deactivate();
        }
        felix.stop();
        felix.waitForStop(10_000);
    }

    @Test
    void modelsLoadOffTheStartingThreadAndBelongToTheirBundle() throws Exception {
        GatedFactory f = new GatedFactory();
        bind(f);
        Path jar = jar("faces", "1.2.0", "a model");
        Bundle b = install(jar);
        b.start(); // returns although create() blocks: the load runs on the extender's thread
        assertThat(f.entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(extender.models()).extracting(ModelStatus::state).containsExactly(State.LOADING);
        assertThat(models()).isEmpty();

        f.open();
        ModelStatus s = extender.settled(jar).getValue();
        assertThat(s.state()).isEqualTo(State.ACTIVE);
        assertThat(s.descriptor().name()).isEqualTo("faces");
        ServiceReference<?> ref = models().get(0);
        assertThat(ref.getBundle()).isEqualTo(b);
        assertThat(ref.getProperty(ServiceProps.NAME)).isEqualTo("faces");
        assertThat(ref.getProperty(ServiceProps.KIND)).isEqualTo("detector");
        assertThat(ref.getProperty(ServiceProps.TYPE)).isEqualTo("test");
        assertThat(ref.getProperty(ServiceProps.VERSION)).isEqualTo("1.2.0");
        assertThat(ref.getProperty(ServiceProps.MODEL_BUNDLE)).isEqualTo("test.faces");
        assertThat(ref.getProperty(ServiceProps.MODEL_BUNDLE_ID)).isEqualTo(b.getBundleId());
        assertThat(extender.modelFile("detector", "faces")).hasValueSatisfying(p -> assertThat(p).hasContent("a model"));

        b.uninstall();
        assertThat(models()).isEmpty();
        assertThat(f.disposed).hasValue(1);
        assertThat(extender.models()).isEmpty();
        assertThat(extender.modelFile("detector", "faces")).isEmpty();
    }

    @Test
    void aBundleStoppedWhileItsModelLoadsLeavesNothingBehind() throws Exception {
        GatedFactory f = new GatedFactory();
        bind(f);
        Bundle b = install(jar("slow", "1.0.0", "a model"));
        b.start();
        assertThat(f.entered.await(10, TimeUnit.SECONDS)).isTrue();
        b.stop();
        f.open();
        assertThat(extender.idle().getValue()).isEmpty();
        assertThat(models()).isEmpty();
        assertThat(f.created.get()).isEqualTo(f.disposed.get()).isEqualTo(1);
    }

    @Test
    void whenItsFactoryGoesTheModelWaitsUntilAnotherComes() throws Exception {
        GatedFactory first = new GatedFactory().open();
        ServiceRegistration<?> reg = bind(first);
        Path jar = jar("m", "1.0.0", "a model");
        install(jar).start();
        assertThat(extender.settled(jar).getValue().state()).isEqualTo(State.ACTIVE);

        unbind(reg);
        assertThat(models()).isEmpty();
        assertThat(first.disposed).hasValue(1);
        assertThat(extender.settled(jar).getValue().state()).isEqualTo(State.WAITING);
        extender.idle().getValue();
        assertThat(extender.models()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(State.WAITING);
            assertThat(s.error()).isEqualTo("no installed bundle loads detector models of type test");
        });

        bind(new GatedFactory().open());
        extender.idle().getValue();
        assertThat(extender.models()).extracting(ModelStatus::state).containsExactly(State.ACTIVE);
        assertThat(models()).hasSize(1);
    }

    @Test
    void aFactoryThatGoesWhileItLoadsHasItsModelUndone() throws Exception {
        GatedFactory f = new GatedFactory();
        ServiceRegistration<?> reg = bind(f);
        install(jar("m", "1.0.0", "a model")).start();
        assertThat(f.entered.await(10, TimeUnit.SECONDS)).isTrue();
        unbind(reg);
        f.open();
        extender.idle().getValue();
        assertThat(models()).isEmpty();
        assertThat(f.disposed).hasValue(f.created.get());
        assertThat(extender.models()).extracting(ModelStatus::state).containsExactly(State.WAITING);
    }

    @Test
    void aBrokenModelFailsAloneAndANewerVersionRanksFirst() throws Exception {
        bind(new GatedFactory().open());
        Path broken = jar("bad", "1.0.0", "broken");
        install(broken).start();
        Path v1 = jar("m", "1.0.0", "a model"), v2 = jar("m-2", "2.0.0", "a model");
        install(v1).start();
        install(v2).start();
        ModelStatus bad = extender.settled(broken).getValue();
        assertThat(bad.state()).isEqualTo(State.FAILED);
        assertThat(bad.error()).isEqualTo("model/m.txt: not a test model");
        assertThat(extender.settled(v2).getValue().state()).isEqualTo(State.ACTIVE);
        assertThat(extender.settled(v1).getValue().state()).isEqualTo(State.ACTIVE);
        ServiceReference<Runnable> best = ctx.getServiceReference(Runnable.class);
        assertThat(best.getProperty(ServiceProps.VERSION)).isEqualTo("2.0.0");
    }

    @Test
    void stoppingTheExtenderUnloadsEverythingAndFailsItsPromises() throws Exception {
        GatedFactory f = new GatedFactory().open();
        bind(f);
        Path jar = jar("m", "1.0.0", "a model");
        install(jar).start();
        extender.settled(jar).getValue();
        var pending = extender.settled(dir.resolve("never.jar"));
        extender.deactivate();
        extender = null;
        assertThat(models()).isEmpty();
        assertThat(f.disposed).hasValue(1);
        assertThat(pending.getFailure()).hasMessage("the model extender stopped");
    }

    @Test
    void bundlesWiredToAnotherKonomiModelExtenderAreLeftToIt() throws Exception {
        bind(new GatedFactory().open());
        Path ours = jar("ours", "1.0.0", "a model", ModelDescriptor.EXTENDER_REQUIREMENT);
        Bundle other = install(jar("other", "1.0.0", null, null,
                "Provide-Capability", "osgi.extender;osgi.extender=konomi.model;version:Version=1.0;vendor=other"));
        Path theirs = jar("theirs", "1.0.0", "a model",
                "osgi.extender;filter:=\"(&(osgi.extender=konomi.model)(vendor=other))\"");
        Path legacy = jar("legacy", "1.0.0", "a model");
        install(ours).start();
        Bundle t = install(theirs);
        t.start();
        install(legacy).start();
        assertThat(extender.settled(ours).getValue().state()).isEqualTo(State.ACTIVE);
        assertThat(extender.settled(legacy).getValue().state()).as("no requirement: served").isEqualTo(State.ACTIVE);
        assertThat(t.adapt(org.osgi.framework.wiring.BundleWiring.class).getRequiredWires("osgi.extender"))
                .extracting(w -> w.getProvider().getBundle()).containsExactly(other);
        extender.idle().getValue();
        assertThat(extender.models()).extracting(m -> m.descriptor().name()).containsExactlyInAnyOrder("ours", "legacy");
    }

    private ServiceRegistration<?> bind(GatedFactory f) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(ModelFactory.KIND, "detector");
        props.put(ModelFactory.TYPE, "test");
        ServiceRegistration<?> reg = ctx.registerService(ModelFactory.class.getName(), f, props);
        extender.addFactory(ref(reg));
        return reg;
    }

    /** As DS does: unbind while the service is still registered, then it goes. */
    private void unbind(ServiceRegistration<?> reg) {
        extender.removeFactory(ref(reg));
        reg.unregister();
    }

    @SuppressWarnings("unchecked")
    private static ServiceReference<ModelFactory<?>> ref(ServiceRegistration<?> reg) {
        return (ServiceReference<ModelFactory<?>>) reg.getReference();
    }

    private List<ServiceReference<Runnable>> models() throws Exception {
        return List.copyOf(ctx.getServiceReferences(Runnable.class, "(" + ServiceProps.NAME + "=*)"));
    }

    private Bundle install(Path jar) throws Exception {
        return ctx.installBundle(jar.toUri().toString());
    }

    private Path jar(String name, String version, String content) throws Exception {
        return jar(name, version, content, null);
    }

    /** A model bundle (content null: a plain bundle), with a Require-Capability when given, and further headers. */
    private Path jar(String name, String version, String content, String requirement, String... headers) throws Exception {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "test." + name);
        a.putValue("Bundle-Version", version);
        if (content != null) {
            a.putValue(ModelDescriptor.HEADER, "detector;type=test;name=" + name.replaceFirst("-\\d+$", "") + ";file=model/m.txt");
        }
        if (requirement != null) {
            a.putValue("Require-Capability", requirement);
        }
        for (int i = 0; i < headers.length; i += 2) {
            a.putValue(headers[i], headers[i + 1]);
        }
        Path jar = dir.resolve(name + ".jar");
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, mf)) {
            j.putNextEntry(new JarEntry("model/m.txt"));
            j.write((content == null ? "" : content).getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }
}
