package konomi.api;

import java.util.stream.Stream;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Streams images from a location (a folder, a web page, a feed, a URL list). Registered as a service with
 * property {@code konomi.name}. When several sources accept a location, the one with the highest
 * {@code service.ranking} opens it first; one that finds the location is another kind throws
 * {@link WrongSourceException} and the next is tried.
 */
@ConsumerType
public interface ImageSource {
    String name();

    /** Whether this source understands the location (a path, a URL ...). */
    boolean accepts(String location);

    /**
     * Opens the location and streams its images in a stable order. The stream must be closed.
     *
     * @throws KonomiException     when the location cannot be opened (missing folder ...)
     * @throws WrongSourceException when the location, once read, is a kind another source reads
     */
    Stream<SourceItem> open(String location);
}
