package konomi.api.sink;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What a run is, as sinks see it when it starts.
 *
 * @param source     the location read (a folder ...)
 * @param output     where file sinks write: a folder (report sinks write their files into it), or, for a sink that
 *                   writes a single file, that file when the path names one (e.g. {@code faces.csv}); null when the
 *                   run writes no files
 * @param force      whether existing files in {@code output} may be replaced
 * @param facesGiven every image was taken as one face (no detector)
 * @param detector   the detector used, or null when faces were given
 * @param scorers    the scorers, the first one ranks; may be empty (detection only)
 * @param margin     margin added around each face box before scoring, as a fraction of its size
 * @param top        how many of the best images tables and contact sheets show
 * @param started    when the run started
 */
public record RunInfo(String source, Path output, boolean force, boolean facesGiven, ModelRef detector, List<ModelRef> scorers,
                      double margin, int top, Instant started) {
    public RunInfo {
        scorers = scorers == null ? List.of() : List.copyOf(scorers);
    }
}
