package konomi.detect.cnn;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Parameters of every CNN detector (ConfigAdmin PID {@code konomi.detect.cnn}, e.g. a file
 * {@code etc/konomi.detect.cnn.cfg}). A value set here wins over the model bundle's own header attribute of the
 * same name (the threshold tuned on validation pictures when it was trained). No defaults here: a key that is not
 * set falls back to the header.
 */
@ObjectClassDefinition(id = CnnDetectorConfig.PID, name = "Konomi CNN detector",
        description = "Confidence threshold and NMS overlap of the CNN face detectors")
public @interface CnnDetectorConfig {
    String PID = "konomi.detect.cnn";

    @AttributeDefinition(required = false, description = "Confidence a face needs, in [0, 1]; lower finds more faces (default: the model's)")
    double threshold();

    @AttributeDefinition(required = false, description = "IoU in (0, 1] above which the weaker of two overlapping faces is dropped (default: the model's)")
    double nms();
}
