package konomi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.ImageSource;
import konomi.api.KonomiException;
import konomi.api.model.ModelFactory;

/**
 * konomi.detect.cascade reads its parameters from ConfigAdmin (PID konomi.detect.cascade): a change
 * applies to the next detection without reloading the model. DS publishes the configuration as
 * properties of the factory service after calling its modified method, so a tracker on those properties
 * says when the change is in.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class CascadeConfigTest {
    static final String PID = "konomi.detect.cascade";
    /** Five faces; the default minNeighbors=5 drops some windows that minNeighbors=1 keeps. */
    static final String PICTURE = "jonathonyan_detect_04.jpg";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 20_000)
    ConfigurationAdmin configAdmin;

    @InjectService(filter = "(konomi.name=folder)", timeout = 20_000)
    ImageSource folder;

    @InjectService(filter = "(" + FaceDetector.NAME + "=animeface)", timeout = 20_000)
    FaceDetector animeface;

    @BeforeEach
    @AfterEach
    void noConfiguration() throws Exception {
        Configuration c = configAdmin.getConfiguration(PID, "?");
        if (c.getProperties() != null) {
            try (Await.Watch<ModelFactory> f = cascadeFactory("(!(minNeighbors=*))")) {
                c.delete();
                f.awaitAdded();
            }
        }
    }

    @Test
    void minNeighborsOneFindsMoreFaces() throws Exception {
        Image image = SharedData.picture(folder, PICTURE);
        int byDefault = animeface.detect(image).size();

        configure("minNeighbors", 1, "(minNeighbors=1)");
        int loose = animeface.detect(image).size();

        assertThat(loose).as("faces with minNeighbors=1 (%d) vs default 5 (%d)", loose, byDefault).isGreaterThan(byDefault);
    }

    @Test
    void badValueGivesOneLineErrorNamingTheKey() throws Exception {
        Image image = SharedData.picture(folder, PICTURE);
        configure("minNeighbors", 2.5, "(minNeighbors=2.5)");

        assertThatThrownBy(() -> animeface.detect(image))
                .isInstanceOf(KonomiException.class)
                .hasMessageContaining(PID)
                .hasMessageContaining("minNeighbors")
                .hasMessageContaining("2.5")
                .extracting(Throwable::getMessage).matches(m -> !m.contains("\n"), "one line");
    }

    /** Sets one parameter and waits until the factory service shows it (DS's modified call is done then). */
    private void configure(String key, Object value, String applied) throws Exception {
        try (Await.Watch<ModelFactory> f = cascadeFactory(applied)) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(key, value);
            configAdmin.getConfiguration(PID, "?").update(props);
            f.awaitAdded();
        }
    }

    @SuppressWarnings("rawtypes")
    private Await.Watch<ModelFactory> cascadeFactory(String filter) {
        return Await.watch(context, ModelFactory.class, "(" + ModelFactory.TYPE + "=cascade)" + filter);
    }
}
