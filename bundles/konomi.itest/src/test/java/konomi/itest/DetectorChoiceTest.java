package konomi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import konomi.api.FaceDetector;
import konomi.api.KonomiException;
import konomi.api.ServiceProps;
import konomi.api.pipeline.DetectorChoice;
import konomi.api.sink.ModelRef;
import konomi.itest.Doubles.FixedDetector;

/** detect:use's service: the choice goes through ConfigurationAdmin and DS rebinds without a restart. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class DetectorChoiceTest {
    @InjectBundleContext
    BundleContext context;
    @InjectService(timeout = 20_000)
    DetectorChoice choice;
    @InjectService
    ConfigurationAdmin configAdmin;

    /**
     * Back to no choice the way detect:use does it: one configuration, updated. Deleting it instead is handled by
     * Felix SCR asynchronously, and the next test's new configuration (whose change count starts again) can race
     * with that; the likeliest reading of a CI run that timed out waiting for the default detector.
     */
    @AfterEach
    void forget() {
        choice.use(DetectorChoice.AUTO);
    }

    private void register(String name, String version) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(ServiceProps.NAME, name);
        p.put(ServiceProps.KIND, "detector");
        p.put(ServiceProps.VERSION, version);
        context.registerService(FaceDetector.class, FixedDetector.oneFace(name), p);
    }

    @Test
    void useSwitchesTheActiveDetectorThroughConfigurationAdmin() throws Exception {
        register("left", "1.0.0");
        register("right", "1.0.0");

        ModelRef r = choice.use("right");
        assertThat(r.name()).isEqualTo("right");
        assertThat(choice.active()).get().extracting(ModelRef::name).isEqualTo("right");
        assertThat(configAdmin.getConfiguration(DetectorChoice.PID, "?").getProperties().get(DetectorChoice.TARGET))
                .isEqualTo("(konomi.name=right)");

        assertThat(choice.use("left").name()).isEqualTo("left");
        assertThat(choice.active()).get().extracting(ModelRef::name).isEqualTo("left");
        assertThat(choice.installed()).extracting(ModelRef::name).contains("left", "right");
    }

    @Test
    void anUnknownNameIsRefusedAndTheChoiceKept() {
        register("only", "1.0.0");
        assertThat(choice.use("only").name()).isEqualTo("only");
        assertThatThrownBy(() -> choice.use("nosuch")).isInstanceOf(KonomiException.class).hasMessageContaining("nosuch");
        assertThat(choice.active()).get().extracting(ModelRef::name).isEqualTo("only");
    }

    @Test
    void withoutAChoiceTheCascadeIsTheDefaultAndUseSwapsBothWays() throws Exception {
        // the real animeface cascade bundle runs in this framework; it outranks a "yolo" detector by name
        assertThat(choice.use(DetectorChoice.AUTO).name()).isEqualTo("animeface"); // waits until a detector is bound
        assertThat(choice.target()).isEmpty();
        assertThat(choice.active()).get().extracting(ModelRef::name).isEqualTo("animeface");
        register("aaa-newer", "9.0.0"); // neither preferred: does not take over from animeface
        assertThat(choice.active()).get().extracting(ModelRef::name).isEqualTo("animeface");

        var yolo = registerKept("yolo", "1.0.0");
        assertThat(choice.active()).get().extracting(ModelRef::name).isEqualTo("animeface");

        assertThat(choice.use("animeface").name()).isEqualTo("animeface");
        assertThat(choice.active()).get().extracting(ModelRef::name).isEqualTo("animeface");
        assertThat(choice.use("yolo").name()).isEqualTo("yolo");
        assertThat(choice.active()).get().extracting(ModelRef::name).isEqualTo("yolo");
        assertThat(choice.use(DetectorChoice.AUTO).name()).isEqualTo("animeface");
        assertThat(choice.target()).isEmpty();

        yolo.unregister();
        assertThat(choice.active()).get().extracting(ModelRef::name).isEqualTo("animeface");
    }

    private org.osgi.framework.ServiceRegistration<FaceDetector> registerKept(String name, String version) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(ServiceProps.NAME, name);
        p.put(ServiceProps.KIND, "detector");
        p.put(ServiceProps.VERSION, version);
        return context.registerService(FaceDetector.class, FixedDetector.oneFace(name), p);
    }
}
