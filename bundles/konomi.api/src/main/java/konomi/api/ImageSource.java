package konomi.api;

import java.util.stream.Stream;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Streams images from a location (a folder, later a crawl or feed). Registered as a service with
 * property {@code konomi.name}.
 */
@ConsumerType
public interface ImageSource {
    String name();

    /** Whether this source understands the location (a path, a URL ...). */
    boolean accepts(String location);

    /**
     * Opens the location and streams its images in a stable order. The stream must be closed.
     *
     * @throws KonomiException when the location cannot be opened (missing folder ...)
     */
    Stream<SourceItem> open(String location);
}
