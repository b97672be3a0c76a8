package konomi.api.sink;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives results as they are produced (report writer, webhook, folder copy). */
@ConsumerType
public interface ResultSink extends AutoCloseable {
    String name();

    void accept(ImageResult result);

    /** Called once after the last result; writes what must be written. */
    @Override
    void close();
}
