package konomi.api.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Options of {@link CrossValidator#crossValidate}. Start from {@link #defaults()} or {@link #builder()}.
 *
 * @param folds        number of folds, 2 to 20
 * @param epochs       epochs each fold's network trains
 * @param batch        batch size
 * @param size         input size in pixels (square)
 * @param learningRate peak learning rate (Adam)
 * @param schedule     learning-rate schedule
 * @param weightDecay  L2 weight decay
 * @param metric       the metric measured on the held-out fold, or null for the task's default
 * @param augment      training augmentations
 * @param seed         fold and initialisation seed
 * @param groups       CSV {@code file,group}: a group stays in one fold; null for one group per image
 * @param workers      image-loading threads
 * @param output       folder for {@code cv.csv}, or null to write nothing
 */
public record CvOptions(int folds, int epochs, int batch, int size, double learningRate, Schedule schedule, double weightDecay,
                        String metric, Augment augment, long seed, Path groups, int workers, Path output) {

    public CvOptions {
        Check.range("folds", folds, 2, 20);
        Check.range("epochs", epochs, 1, 10_000);
        Check.range("batch", batch, 1, 4096);
        Check.range("size", size, 16, 512);
        Check.range("lr", learningRate, 1e-7, 10);
        Objects.requireNonNull(schedule, "schedule");
        Check.range("weight decay", weightDecay, 0, 1);
        metric = metric == null || metric.isBlank() ? null : metric;
        Objects.requireNonNull(augment, "augment");
        Check.range("workers", workers, 1, 64);
    }

    /** 5 folds; network settings as {@link TrainOptions#defaults()}. */
    public static CvOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link CvOptions}; every field starts at its default. */
    public static final class Builder {
        private final TrainOptions net = TrainOptions.defaults();
        private int folds = 5;
        private int epochs = net.epochs();
        private int batch = net.batch();
        private int size = net.size();
        private double learningRate = net.learningRate();
        private Schedule schedule = net.schedule();
        private double weightDecay = net.weightDecay();
        private String metric;
        private Augment augment = net.augment();
        private long seed = SplitSpec.DEFAULT_SEED;
        private Path groups;
        private int workers = net.workers();
        private Path output;

        private Builder() {
        }

        public Builder folds(int v) {
            folds = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batch(int v) {
            batch = v;
            return this;
        }

        public Builder size(int v) {
            size = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder schedule(Schedule v) {
            schedule = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder metric(String v) {
            metric = v;
            return this;
        }

        public Builder augment(Augment v) {
            augment = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder groups(Path v) {
            groups = v;
            return this;
        }

        public Builder workers(int v) {
            workers = v;
            return this;
        }

        public Builder output(Path v) {
            output = v;
            return this;
        }

        public CvOptions build() {
            return new CvOptions(folds, epochs, batch, size, learningRate, schedule, weightDecay, metric, augment, seed, groups, workers,
                    output);
        }
    }
}
