package konomi.api.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of an evaluation.
 *
 * @param metrics the metrics (accuracy, top3 ... or mae, spearman ...)
 * @param split   where the images came from, one line (the run's recorded test part, a split from options, all images)
 * @param files   the images measured, as dataset-relative names
 * @param skipped images that could not be read, each with its reason
 * @param json    the written {@code eval.json}
 * @param html    the written {@code eval.html}
 */
public record EvalResult(Map<String, Double> metrics, String split, List<String> files, List<String> skipped, Path json, Path html) {
    public EvalResult {
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        files = List.copyOf(files);
        skipped = List.copyOf(skipped);
    }
}
