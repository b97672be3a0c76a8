package konomi.api;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Finds faces in an image. Registered as a service with properties {@code konomi.name},
 * {@code konomi.kind=detector}, {@code konomi.type} and {@code konomi.version}.
 * Implementations must be safe to call from several threads.
 */
@ConsumerType
public interface FaceDetector {
    /** Service property holding a detector's name; {@code detect:use} targets it. */
    String NAME = ServiceProps.NAME;

    String name();

    /** Faces with boxes in the image's own pixel coordinates, most confident first. */
    List<Face> detect(Image image);
}
