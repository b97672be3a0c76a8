package konomi.api.pipeline;

import java.util.List;

import konomi.api.sink.ModelRef;

/**
 * How a run went.
 *
 * @param images   images processed without error
 * @param faces    faces found (or given)
 * @param errors   images that failed
 * @param messages one line per failed image ({@code id: reason}), the first {@link #MAX_MESSAGES} only
 * @param seconds  wall time
 * @param top      the best images, best first, at most the job's {@code top}; images without faces rank last
 * @param detector the detector used, or null when faces were given
 * @param scorers  the scorers used, the first one ranked
 * @param skipped  images not processed because the catalog had seen them ({@code --new-only}): by location or as a
 *                 duplicate of a picture seen before
 * @param belowMin images processed but not sent to the sinks, their score below {@code --min-score} (or none)
 * @param notes    one line per sink that has something to say about the run ({@code slack: 3 posted ...})
 */
public record PipelineSummary(int images, int faces, int errors, List<String> messages, double seconds, List<RankedImage> top,
                              ModelRef detector, List<ModelRef> scorers, int skipped, int belowMin, List<String> notes) {
    /** Failed images beyond this many are counted, not described (the sinks have them all). */
    public static final int MAX_MESSAGES = 1000;

    public PipelineSummary {
        messages = messages == null ? List.of() : List.copyOf(messages);
        top = top == null ? List.of() : List.copyOf(top);
        scorers = scorers == null ? List.of() : List.copyOf(scorers);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A run that read every image and sent every result. */
    public PipelineSummary(int images, int faces, int errors, List<String> messages, double seconds, List<RankedImage> top,
                           ModelRef detector, List<ModelRef> scorers) {
        this(images, faces, errors, messages, seconds, top, detector, scorers, 0, 0, List.of());
    }

    public double imagesPerSecond() {
        return images / Math.max(seconds, 1e-9);
    }

    public double facesPerSecond() {
        return faces / Math.max(seconds, 1e-9);
    }
}
