package konomi.api.pipeline;

import konomi.api.sink.ImageResult;
import org.osgi.annotation.versioning.ConsumerType;

/** Receives a run's progress, on the run's thread; keep it quick. */
@ConsumerType
public interface ProgressListener {
    /** After every image. */
    void progress(Progress progress);

    /** Every image's result, after the sinks had it. */
    default void result(ImageResult result) {
    }
}
