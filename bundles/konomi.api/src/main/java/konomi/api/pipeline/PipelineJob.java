package konomi.api.pipeline;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * @param sinkOutputs where a given sink writes instead of {@code output}, by sink name (e.g. {@code labels} to the
 *                    folder {@code detect:run --labels} names); may be empty. Each of these is refused when it exists
 *                    without {@code force}, as {@code output} is
 * @param newOnly    skip images the catalog has seen: by location before reading them, and by perceptual hash (a
 *                   resized or recompressed repost) before detecting; needs the {@link konomi.api.catalog.Catalog}
 * @param minScore   sinks receive only images whose score is at least this (images without a score are left out;
 *                   failed images still reach them); null sends every image
 */
public record PipelineJob(String location, List<String> scorers, String detector, boolean facesGiven, double margin,
                          List<String> sinks, Path output, boolean force, int top, Map<String, Path> sinkOutputs, boolean newOnly,
                          Double minScore) {
    public static final double DEFAULT_MARGIN = 0.25;
    public static final int DEFAULT_TOP = 20;

    public PipelineJob {
        if (location == null || location.isBlank()) {
            throw new KonomiException("no location to read");
        }
        scorers = scorers == null ? List.of() : List.copyOf(scorers);
        sinks = sinks == null ? List.of() : List.copyOf(sinks);
        sinkOutputs = sinkOutputs == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sinkOutputs));
        for (String s : sinkOutputs.keySet()) {
            if (!sinks.contains(s)) {
                throw new KonomiException("an output is given for sink " + s + ", which the run does not use");
            }
        }
        if (top < 1) {
            throw new KonomiException("--top must be at least 1, not " + top);
        }
        if (!(margin >= 0 && margin <= 2)) {
            throw new KonomiException("--margin must be between 0 and 2, not " + margin);
        }
        if (minScore != null && minScore.isNaN()) {
            throw new KonomiException("--min-score must be a number");
        }
    }

    /** A job that reads every image and sends every result. */
    public PipelineJob(String location, List<String> scorers, String detector, boolean facesGiven, double margin,
                       List<String> sinks, Path output, boolean force, int top, Map<String, Path> sinkOutputs) {
        this(location, scorers, detector, facesGiven, margin, sinks, output, force, top, sinkOutputs, false, null);
    }

    /** A job whose sinks all write to {@code output}. */
    public PipelineJob(String location, List<String> scorers, String detector, boolean facesGiven, double margin,
                       List<String> sinks, Path output, boolean force, int top) {
        this(location, scorers, detector, facesGiven, margin, sinks, output, force, top, Map.of());
    }

    /** This job, reading only images the catalog has not seen ({@code --new-only}) or all of them. */
    public PipelineJob withNewOnly(boolean only) {
        return new PipelineJob(location, scorers, detector, facesGiven, margin, sinks, output, force, top, sinkOutputs, only, minScore);
    }

    /** This job, sending sinks only images scoring at least {@code min} ({@code --min-score}), or all for null. */
    public PipelineJob withMinScore(Double min) {
        return new PipelineJob(location, scorers, detector, facesGiven, margin, sinks, output, force, top, sinkOutputs, newOnly, min);
    }

    /** Where the named sink writes: its own output if the job gives one, else {@link #output()}. */
    public Path outputOf(String sink) {
        return sinkOutputs.getOrDefault(sink, output);
    }

    /** Detection only: every face of every image, no scorer, results to the given sinks. */
    public static PipelineJob detect(String location, List<String> sinks, Path output, boolean force) {
        return new PipelineJob(location, List.of(), null, false, DEFAULT_MARGIN, sinks, output, force, DEFAULT_TOP);
    }
}
