package konomi.api.train;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Trains a model from a dataset (a folder per class, or a CSV of {@code file,score} ratings) and writes
 * the model file, checkpoints, the learning curve and metrics into an output folder. Registered with
 * service property {@code konomi.name}.
 */
@ConsumerType
public interface Trainer {
    String name();

    /**
     * Trains, resuming from the output folder's last checkpoint when there is one (unless the request
     * says otherwise).
     *
     * @throws konomi.api.KonomiException naming the file and cause when the dataset or options are unusable
     */
    TrainResult train(TrainRequest request, TrainListener listener);

    /**
     * K-fold cross-validation: K fresh networks, each trained on K-1 folds and measured on the remaining
     * one after every epoch. Folds keep groups whole (and, as they are drawn by seeded hash per group,
     * hold every class in about equal share).
     *
     * @return per fold, the validation metric after each epoch ({@code [fold][epoch]})
     */
    double[][] crossValidate(TrainRequest request, int folds, TrainListener listener);

    /**
     * Learning-rate range test: a fresh network trained for {@code steps} batches while the rate grows
     * exponentially from {@code minLr} to {@code maxLr}; stops early once the loss diverges.
     *
     * @return rows of {learning rate, loss, smoothed loss}
     */
    double[][] findLearningRate(TrainRequest request, double minLr, double maxLr, int steps, TrainListener listener);

    /**
     * Evaluates a trained model (option {@code model}: a train:run folder) on a dataset, by default on the
     * same held-back test part that training used (options {@code split=test|all}, {@code seed}, {@code val},
     * {@code test}, {@code groups}), and writes {@code eval.json} and {@code eval.html} into the output folder.
     *
     * @return the metrics (accuracy, top3 ... or mae, spearman ...)
     */
    java.util.Map<String, Double> evaluate(TrainRequest request, TrainListener listener);
}
