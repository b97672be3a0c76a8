package konomi.detect.cascade;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Parameters of every cascade detector (ConfigAdmin PID {@code konomi.detect.cascade}, e.g. a file
 * {@code etc/konomi.detect.cascade.cfg}). A value set here wins over the model bundle's own header
 * attribute of the same name, which wins over the defaults below.
 */
@ObjectClassDefinition(id = CascadeConfig.PID, name = "Konomi cascade detector",
        description = "OpenCV cascade classifier parameters for anime face detection")
public @interface CascadeConfig {
    String PID = "konomi.detect.cascade";

    @AttributeDefinition(description = "Image pyramid step (> 1); smaller finds more faces, slower")
    double scaleFactor() default 1.1;

    @AttributeDefinition(description = "Overlapping detections needed to keep a face; higher is stricter")
    int minNeighbors() default 5;

    @AttributeDefinition(description = "Smallest face side in pixels")
    int minSize() default 24;

    @AttributeDefinition(description = "Largest face side in pixels, 0 for no limit")
    int maxSize() default 0;

    @AttributeDefinition(description = "Equalise the grey histogram before detection")
    boolean equalizeHist() default true;
}
