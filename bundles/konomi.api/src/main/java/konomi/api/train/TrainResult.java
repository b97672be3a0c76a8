package konomi.api.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * The outcome of training.
 *
 * @param model      the best model file
 * @param metrics    the JSON metrics file (split, validation and test metrics, confusion matrix)
 * @param validation validation metrics of the best epoch
 * @param test       metrics on the held-back test part (empty when none was held back)
 * @param bestEpoch  the epoch whose weights were kept
 * @param epochs     epochs run in total
 */
public record TrainResult(Path model, Path metrics, Map<String, Double> validation, Map<String, Double> test,
                          int bestEpoch, int epochs) {
    public TrainResult {
        validation = validation == null ? Map.of() : Map.copyOf(validation);
        test = test == null ? Map.of() : Map.copyOf(test);
    }
}
