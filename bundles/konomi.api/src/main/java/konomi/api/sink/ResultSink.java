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
     * Service property: what the sink does with the run's output path. {@link #OUTPUT_REPLACE} (the default when
     * absent): it writes report files there, so an existing output is refused without {@code --force};
     * {@link #OUTPUT_ADD}: it adds files to a collection folder and never replaces one, so an existing folder is
     * fine; {@link #OUTPUT_NONE}: it writes no files (a webhook).
     */
    String OUTPUT = "konomi.sink.output";
    String OUTPUT_REPLACE = "replace";
    String OUTPUT_ADD = "add";
    String OUTPUT_NONE = "none";

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

        /**
         * One processed image with its encoded bytes as read, for sinks that copy the file itself. The default
         * forgets the bytes.
         *
         * @param encoded the bytes as the source gave them; null when the image could not be read
         */
        default void accept(ImageResult result, Image image, byte[] encoded) {
            accept(result, image);
        }

        /** One line for the user about what this session did ({@code slack: 3 posted, 1 kept to retry}), or null. */
        default String note() {
            return null;
        }

        /** After the last result of a run that finished: write what must be written (commit files, send). */
        void complete(RunSummary summary);

        /** Always called last; discards what {@link #complete} did not commit (the run failed or was stopped). */
        @Override
        void close();
    }
}
