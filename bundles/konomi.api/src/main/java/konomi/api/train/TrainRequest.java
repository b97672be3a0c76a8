package konomi.api.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * What to train.
 *
 * @param dataset a folder with one subfolder per class, or a CSV file {@code file,score}
 * @param output  the folder for checkpoints, {@code model.zip}, {@code model.json}, {@code train.csv}, {@code metrics.json}
 * @param options trainer options as strings: epochs, batch, size, lr, seed, val, test, patience, groups,
 *                augment, resume, ... (each trainer documents its own)
 */
public record TrainRequest(Path dataset, Path output, Map<String, String> options) {
    public TrainRequest {
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
