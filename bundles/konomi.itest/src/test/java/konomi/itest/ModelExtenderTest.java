package konomi.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Hashtable;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.model.ModelFactory;
import konomi.api.model.ModelRegistry;
import konomi.api.model.ModelStatus;
import konomi.api.model.ModelStatus.State;
import konomi.itest.Doubles.DetectorFactory;
import konomi.itest.Doubles.FixedDetector;

/**
 * konomi.model.extender: model bundles made in the test, loaded by a registered test factory. Each test
 * uses its own model type, so the factories of other tests (and the real cascade one) never match.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class ModelExtenderTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 20_000)
    ModelRegistry registry;

    @Test
    void modelBundleBecomesDetectorServiceAndGoesAwayWhenUninstalled() throws Exception {
        DetectorFactory factory = registerFactory("testtype", null);
        try (Await.Watch<FaceDetector> t1 = Await.watch(context, FaceDetector.class, "(" + FaceDetector.NAME + "=t1)")) {
            Bundle bundle = ModelBundles.installDetector(context, "testtype", "t1", "1.2.3", "weights of t1");

            FaceDetector detector = t1.awaitAdded();
            DetectorFactory.Created created = Await.take(factory.created, "factory not called");
            assertThat(detector).isSameAs(created.detector());
            assertThat(created.descriptor().name()).isEqualTo("t1");
            assertThat(created.descriptor().bundle()).isEqualTo("itest.model.t1");
            assertThat(created.fileContent()).as("the model file handed to the factory").isEqualTo("weights of t1");
            assertThat(detector.detect(new Image("x", 1, 1, 1, new byte[1])))
                    .isEqualTo(FixedDetector.oneFace("t1").faces());
            ServiceReference<FaceDetector> ref = t1.reference(detector);
            assertThat(ref.getProperty("konomi.kind")).isEqualTo("detector");
            assertThat(ref.getProperty("konomi.type")).isEqualTo("testtype");
            assertThat(ref.getProperty("konomi.version")).isEqualTo("1.2.3");
            assertThat(awaitState(bundle.getBundleId(), State.ACTIVE).descriptor().name()).isEqualTo("t1");

            bundle.uninstall();
            assertThat(t1.awaitRemoved()).isSameAs(detector);
            assertThat(Await.take(factory.disposed, "detector not disposed")).isSameAs(detector);
        }
    }

    @Test
    void modelBundleWaitsForItsFactory() throws Exception {
        try (Await.Watch<FaceDetector> late = Await.watch(context, FaceDetector.class, "(" + FaceDetector.NAME + "=late)")) {
            ModelBundles.installDetector(context, "latetype", "late", "1.0.0", "late weights");
            DetectorFactory factory = registerFactory("latetype", null);
            assertThat(late.awaitAdded()).isSameAs(Await.take(factory.created, "factory not called").detector());
        }
    }

    @Test
    void detectorGoesAwayWithItsFactory() throws Exception {
        DetectorFactory factory = new DetectorFactory(null);
        ServiceRegistration<?> registration = context.registerService(ModelFactory.class, factory, factoryProperties("gonetype"));
        try (Await.Watch<FaceDetector> gone = Await.watch(context, FaceDetector.class, "(" + FaceDetector.NAME + "=gone)")) {
            Bundle bundle = ModelBundles.installDetector(context, "gonetype", "gone", "1.0.0", "weights");
            FaceDetector detector = gone.awaitAdded();

            registration.unregister();
            assertThat(gone.awaitRemoved()).isSameAs(detector);
            assertThat(Await.take(factory.disposed, "detector not disposed")).isSameAs(detector);
            assertThat(bundle.getState()).as("the model bundle stays, waiting for a factory").isEqualTo(Bundle.ACTIVE);
        }
    }

    @Test
    void factoryErrorMarksBundleFailedWithItsMessage() throws Exception {
        DetectorFactory factory = registerFactory("brokentype", "bad weights: layer 3 has no filters");
        Bundle bundle = ModelBundles.installDetector(context, "brokentype", "broken", "1.0.0", "garbage");
        assertThat(Await.take(factory.failed, "factory not called").name()).isEqualTo("broken");

        ModelStatus s = awaitState(bundle.getBundleId(), State.FAILED);
        assertThat(s.error()).contains("bad weights: layer 3 has no filters");
        assertThat(context.getServiceReferences(FaceDetector.class, "(" + FaceDetector.NAME + "=broken)")).isEmpty();
        assertThat(bundle.getState()).as("a broken model never stops its bundle").isEqualTo(Bundle.ACTIVE);
    }

    private DetectorFactory registerFactory(String type, String failure) {
        DetectorFactory factory = new DetectorFactory(failure);
        context.registerService(ModelFactory.class, factory, factoryProperties(type));
        return factory;
    }

    private static Hashtable<String, Object> factoryProperties(String type) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(ModelFactory.KIND, "detector");
        props.put(ModelFactory.TYPE, type);
        return props;
    }

    private Optional<ModelStatus> status(long bundleId) {
        return registry.models().stream().filter(s -> s.bundleId() == bundleId).findFirst();
    }

    /** The model's state once the extender has nothing queued or loading (its own promise, no polling). */
    private ModelStatus awaitState(long bundleId, State state) throws Exception {
        registry.idle().timeout(Await.TIMEOUT.toMillis()).getValue();
        Optional<ModelStatus> s = status(bundleId);
        assertThat(s).as("bundle %d in the registry", bundleId).isPresent();
        assertThat(s.get().state()).as("state of bundle %d: %s", bundleId, s.get()).isEqualTo(state);
        return s.get();
    }
}
