package konomi.api.pipeline;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs source → detector → crop → scorers → sinks. Images are streamed one at a time and results go to the
 * chosen {@link konomi.api.sink.ResultSink} services as they come, so memory does not grow with the number of
 * images. The detector and scorers are bound once when a run starts: swapping the detector
 * ({@code detect:use}) affects the next run, not one in progress.
 */
@ProviderType
public interface Pipeline {
    /**
     * Runs a job to the end. An image that cannot be read is reported (in the summary and to sinks) and the run
     * goes on; a failing detector or scorer, or a sink that cannot write, ends the run with an exception and the
     * sinks discard their unfinished files.
     *
     * @param listener progress and results as they come; may be null
     * @throws konomi.api.KonomiException with a one-line message for an unknown source, scorer, detector or sink,
     *                                    or an output that exists without {@link PipelineJob#force()}
     */
    PipelineSummary run(PipelineJob job, ProgressListener listener);
}
