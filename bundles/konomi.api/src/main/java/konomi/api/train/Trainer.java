package konomi.api.train;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Trains a model from a dataset (folder per class, CSV of ratings, YOLO boxes) and writes the model
 * file and a metrics file into an output folder.
 */
@ConsumerType
public interface Trainer {
    String name();

    /**
     * @param dataset the dataset location
     * @param output  the folder for checkpoints, the model file and metrics
     * @param options trainer options (epochs, batch, lr ...)
     * @return the metrics of the best checkpoint on the validation split
     */
    Map<String, Double> train(Path dataset, Path output, Map<String, String> options);
}
