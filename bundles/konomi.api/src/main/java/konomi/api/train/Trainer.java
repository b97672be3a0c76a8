package konomi.api.train;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Trains a model from a dataset (a folder per class, or a CSV of {@code file,score} ratings) and writes the model
 * file, checkpoints, the learning curve, metrics and the split it used ({@code split.json}) into an output folder.
 */
@ProviderType
public interface Trainer {
    /**
     * Trains, resuming from the output folder's last checkpoint when there is one (unless the options say otherwise).
     *
     * @param dataset a folder with one subfolder per class, or a CSV file {@code file,score}
     * @param output  the folder for checkpoints, {@code model.zip}, {@code model.json}, {@code train.csv},
     *                {@code metrics.json}, {@code split.json}
     * @throws konomi.api.KonomiException naming the file and cause when the dataset or options are unusable
     */
    TrainResult train(Path dataset, Path output, TrainOptions options, TrainListener listener);
}
