package konomi.api.pipeline;

import java.nio.file.Path;
import java.util.List;

import konomi.api.KonomiException;

/**
 * What a pipeline run does.
 *
 * @param location   what to read: a folder, an image file, later a URL; the first
 *                   {@link konomi.api.ImageSource} that {@code accepts} it reads it
 * @param scorers    scorer names, the first one ranks; a name resolves to its newest version; may be empty (detection only)
 * @param detector   detector name, or null for the active one ({@link DetectorChoice}); ignored when faces are given
 * @param facesGiven every image is already a face crop: no detection, each image is one face
 * @param margin     margin added around each face box before scoring, as a fraction of its size (0 to 2)
 * @param sinks      names of the {@link konomi.api.sink.ResultSink} services to send results to; may be empty
 * @param output     where sinks write (see {@link konomi.api.sink.RunInfo#output()}); null when no sink writes files
 * @param force      write into an existing output
 * @param top        how many of the best images the summary (and the contact sheet) keeps, at least 1
 */
public record PipelineJob(String location, List<String> scorers, String detector, boolean facesGiven, double margin,
                          List<String> sinks, Path output, boolean force, int top) {
    public static final double DEFAULT_MARGIN = 0.25;
    public static final int DEFAULT_TOP = 20;

    public PipelineJob {
        if (location == null || location.isBlank()) {
            throw new KonomiException("no location to read");
        }
        scorers = scorers == null ? List.of() : List.copyOf(scorers);
        sinks = sinks == null ? List.of() : List.copyOf(sinks);
        if (top < 1) {
            throw new KonomiException("--top must be at least 1, not " + top);
        }
        if (!(margin >= 0 && margin <= 2)) {
            throw new KonomiException("--margin must be between 0 and 2, not " + margin);
        }
    }

    /** Detection only: every face of every image, no scorer, results to the given sinks. */
    public static PipelineJob detect(String location, List<String> sinks, Path output, boolean force) {
        return new PipelineJob(location, List.of(), null, false, DEFAULT_MARGIN, sinks, output, force, DEFAULT_TOP);
    }
}
