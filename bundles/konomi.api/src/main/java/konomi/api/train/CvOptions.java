package konomi.api.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Options of {@link CrossValidator#crossValidate}.
 *
 * @param folds    number of folds, 2 to 20
 * @param training how each fold's network trains: epochs, batch, size, learning rate and schedule, weight decay,
 *                 metric (measured on the held-out fold), augmentations and workers; its split's seed makes the folds
 *                 and initialises the networks, its groups stay in one fold. The split's fractions, patience,
 *                 init, freeze, resume and checkpoints do not apply.
 * @param output   folder for {@code cv.csv}, or null to write nothing
 */
public record CvOptions(int folds, TrainOptions training, Path output) {
    public static final int DEFAULT_FOLDS = 5;

    public CvOptions {
        Check.range("folds", folds, 2, 20);
        Objects.requireNonNull(training, "training");
    }

    /** 5 folds, {@link TrainOptions#defaults()}, no CSV. */
    public static CvOptions defaults() {
        return new CvOptions(DEFAULT_FOLDS, TrainOptions.defaults(), null);
    }
}
