package konomi.api.train;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of cross-validation.
 *
 * @param metric the metric measured on each held-out fold
 * @param folds  every fold with its metric after each epoch
 * @param epochs per epoch, the mean and sample standard deviation over the folds
 * @param csv    the written {@code cv.csv}, or null when no output folder was given
 */
public record CvResult(String metric, List<Fold> folds, List<EpochStats> epochs, Path csv) {
    public CvResult {
        folds = List.copyOf(folds);
        epochs = List.copyOf(epochs);
    }

    /**
     * One fold.
     *
     * @param fold    its number, from 1
     * @param train   images trained on
     * @param heldOut images measured
     * @param metric  the metric after each epoch (index 0 is epoch 1)
     */
    public record Fold(int fold, int train, int heldOut, List<Double> metric) {
        public Fold {
            metric = List.copyOf(metric);
        }
    }

    /** The metric of one epoch over all folds: mean and sample standard deviation. */
    public record EpochStats(int epoch, double mean, double sd) {
    }
}
