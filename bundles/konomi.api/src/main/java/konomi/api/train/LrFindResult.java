package konomi.api.train;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of a learning-rate range test.
 *
 * @param rows       every batch run: its rate, loss and smoothed loss
 * @param suggested  the suggested peak rate: the steepest descent of the smoothed loss before its lowest point
 * @param lowest     the rate at the lowest smoothed loss (about a tenth of it is a safe choice)
 * @param diverged   whether the test stopped early because the loss diverged
 * @param plot       the smoothed loss against the rate (log scale) as text, ready to print
 * @param csv        the written {@code lr-find.csv}, or null when no output folder was given
 */
public record LrFindResult(List<Row> rows, double suggested, double lowest, boolean diverged, String plot, Path csv) {
    public LrFindResult {
        rows = List.copyOf(rows);
    }

    /** One batch of the test. */
    public record Row(double learningRate, double loss, double smoothedLoss) {
    }
}
