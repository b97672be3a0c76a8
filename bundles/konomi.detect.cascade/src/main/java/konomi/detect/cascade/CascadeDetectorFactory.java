package konomi.detect.cascade;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import konomi.api.FaceDetector;
import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelFactory;

/**
 * Loads cascade model bundles ({@code Konomi-Model: detector;type=cascade;...}) as face detectors.
 * Parameter changes in ConfigAdmin apply to the next detection without reloading any model.
 */
@Component(configurationPid = CascadeConfig.PID, service = ModelFactory.class,
        property = {ModelFactory.KIND + "=detector", ModelFactory.TYPE + "=cascade"})
@Designate(ocd = CascadeConfig.class)
public class CascadeDetectorFactory implements ModelFactory<FaceDetector> {

    private static final Logger LOG = LoggerFactory.getLogger(CascadeDetectorFactory.class);

    private volatile Map<String, Object> config = Map.of();
    private volatile String configSource = CascadeConfig.PID;

    /**
     * Keeps the configuration even when invalid: detection then fails with the reason (naming the .cfg
     * file) instead of quietly running on the previous values.
     */
    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        configSource = file == null ? CascadeConfig.PID : file.toString().replaceFirst("^file:", "");
        config = Map.copyOf(properties);
        LOG.debug("configured from {}: {}", configSource, config);
        try {
            CascadeParams.resolve(configSource, config::get);
        } catch (KonomiException e) {
            LOG.error(e.getMessage());
        }
    }

    @Override
    public Class<FaceDetector> serviceType() {
        return FaceDetector.class;
    }

    @Override
    public FaceDetector create(ModelDescriptor d, Path modelFile) {
        Map<String, String> attrs = d.attributes();
        CascadeParams.resolve(d.bundle() + " Konomi-Model", attrs::get); // fail early on bad header values
        if (!Files.isRegularFile(modelFile)) {
            throw new KonomiException(d.file() + ": model file missing from bundle " + d.bundle());
        }
        CascadeClassifier classifier = new CascadeClassifier();
        boolean loaded;
        try {
            loaded = classifier.load(modelFile.toString());
        } catch (RuntimeException e) {
            loaded = false;
        }
        if (!loaded || classifier.empty()) {
            classifier.close();
            throw new KonomiException(d.file() + " in " + d.bundle() + ": not an OpenCV cascade classifier file");
        }
        return new CascadeFaceDetector(d.name(), classifier,
                () -> CascadeParams.resolve(configSource, config::get, attrs::get));
    }

    @Override
    public void dispose(FaceDetector detector) {
        if (detector instanceof CascadeFaceDetector c) {
            c.close();
        }
    }
}
