package konomi.api.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Options of {@link LrFinder#find}. Start from {@link #defaults()} or {@link #builder()}.
 *
 * @param minLr       the rate of the first batch
 * @param maxLr       the rate of the last batch
 * @param steps       batches (at least 5)
 * @param batch       batch size
 * @param size        input size in pixels (square)
 * @param weightDecay L2 weight decay
 * @param augment     training augmentations
 * @param split       the network trains on this split's training part
 * @param workers     image-loading threads
 * @param output      folder for {@code lr-find.csv}, or null to write nothing
 * @param plotWidth   columns of the text plot
 * @param plotHeight  rows of the text plot
 */
public record LrFindOptions(double minLr, double maxLr, int steps, int batch, int size, double weightDecay, Augment augment,
                            SplitSpec split, int workers, Path output, int plotWidth, int plotHeight) {

    public LrFindOptions {
        if (!(minLr > 0) || !(maxLr > minLr)) {
            throw new konomi.api.KonomiException("lr-find needs 0 < min < max, not min " + minLr + ", max " + maxLr);
        }
        Check.range("steps", steps, 5, 100_000);
        Check.range("batch", batch, 1, 4096);
        Check.range("size", size, 16, 512);
        Check.range("weight decay", weightDecay, 0, 1);
        Objects.requireNonNull(augment, "augment");
        Objects.requireNonNull(split, "split");
        Check.range("workers", workers, 1, 64);
        Check.range("plot width", plotWidth, 24, 400);
        Check.range("plot height", plotHeight, 4, 200);
    }

    /** Rates 1e-6 to 1 over 100 batches; network settings as {@link TrainOptions#defaults()}; a 64x16 plot. */
    public static LrFindOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link LrFindOptions}; every field starts at its default. */
    public static final class Builder {
        private final TrainOptions net = TrainOptions.defaults();
        private double minLr = 1e-6;
        private double maxLr = 1;
        private int steps = 100;
        private int batch = net.batch();
        private int size = net.size();
        private double weightDecay = net.weightDecay();
        private Augment augment = net.augment();
        private SplitSpec split = net.split();
        private int workers = net.workers();
        private Path output;
        private int plotWidth = 64;
        private int plotHeight = 16;

        private Builder() {
        }

        public Builder minLr(double v) {
            minLr = v;
            return this;
        }

        public Builder maxLr(double v) {
            maxLr = v;
            return this;
        }

        public Builder steps(int v) {
            steps = v;
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

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder augment(Augment v) {
            augment = v;
            return this;
        }

        public Builder split(SplitSpec v) {
            split = v;
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

        public Builder plot(int width, int height) {
            plotWidth = width;
            plotHeight = height;
            return this;
        }

        public LrFindOptions build() {
            return new LrFindOptions(minLr, maxLr, steps, batch, size, weightDecay, augment, split, workers, output, plotWidth, plotHeight);
        }
    }
}
