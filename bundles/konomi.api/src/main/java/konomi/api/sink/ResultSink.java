package konomi.api.sink;

import konomi.api.Image;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the results of runs as they are produced (report writer, webhook, folder copy). A sink is a service
 * shared by every run, and runs may overlap, so each run opens its own {@link Session}. Registered with service
 * property {@link #NAME}, the name users give to {@code score:run --sink}.
 */
@ConsumerType
public interface ResultSink {
    /** Service property: the sink's name ({@code json}, {@code csv}, {@code html} ...). */
    String NAME = "konomi.sink.name";

    /**
     * Starts receiving one run's results.
     *
     * @throws konomi.api.KonomiException naming the file and cause when the sink cannot write where the run asks
     */
    Session open(RunInfo run);

    /** One run's results, in source order, from one thread. */
    @ConsumerType
    interface Session extends AutoCloseable {
        /**
         * One processed image.
         *
         * @param image the decoded image, for sinks that keep a thumbnail or a copy; null when the image failed.
         *              Only valid during the call: keep what is needed (a thumbnail), not the image itself.
         */
        void accept(ImageResult result, Image image);

        /** After the last result of a run that finished: write what must be written (commit files, send). */
        void complete(RunSummary summary);

        /** Always called last; discards what {@link #complete} did not commit (the run failed or was stopped). */
        @Override
        void close();
    }
}
