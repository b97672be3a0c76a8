package konomi.api.train;

import java.nio.file.Path;
import java.util.Objects;

import konomi.api.KonomiException;

/**
 * Options of {@link LrFinder#find}. Start from {@link #defaults()} or {@link #builder()}.
 *
 * @param minLr      the rate of the first batch
 * @param maxLr      the rate of the last batch
 * @param steps      batches (at least 5)
 * @param training   the network's batch, size, weight decay, augmentations and workers; it trains on its split's
 *                   training part and its seed initialises it. The rate, schedule and epochs are this test's own.
 * @param output     folder for {@code lr-find.csv}, or null to write nothing
 * @param plotWidth  columns of the text plot
 * @param plotHeight rows of the text plot
 */
public record LrFindOptions(double minLr, double maxLr, int steps, TrainOptions training, Path output, int plotWidth, int plotHeight) {

    public LrFindOptions {
        if (!(minLr > 0) || !(maxLr > minLr)) {
            throw new KonomiException("lr-find needs 0 < min < max, not min " + minLr + ", max " + maxLr);
        }
        Check.range("steps", steps, 5, 100_000);
        Objects.requireNonNull(training, "training");
        Check.range("plot width", plotWidth, 24, 400);
        Check.range("plot height", plotHeight, 4, 200);
    }

    /** Rates 1e-6 to 1 over 100 batches; {@link TrainOptions#defaults()}; a 64x16 plot. */
    public static LrFindOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link LrFindOptions}, checked once all are set (min and max depend on each other). */
    public static final class Builder {
        private double minLr = 1e-6;
        private double maxLr = 1;
        private int steps = 100;
        private TrainOptions training = TrainOptions.defaults();
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

        public Builder training(TrainOptions v) {
            training = v;
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
            return new LrFindOptions(minLr, maxLr, steps, training, output, plotWidth, plotHeight);
        }
    }
}
