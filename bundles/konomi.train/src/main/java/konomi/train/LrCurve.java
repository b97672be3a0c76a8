package konomi.train;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import konomi.api.train.LrFindResult.Row;

/** The maths on a learning-rate range test's curve: the suggestion, the lowest point and a text plot. */
final class LrCurve {
    private LrCurve() {
    }

    /** Index of the lowest smoothed loss. */
    static int lowest(List<Row> rows) {
        int lowest = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).smoothedLoss() < rows.get(lowest).smoothedLoss()) {
                lowest = i;
            }
        }
        return lowest;
    }

    /**
     * Index of the steepest descent of the smoothed loss per decade of rate, before its lowest point (central
     * differences; the point before the lowest when the curve is too short to have a slope).
     */
    static int steepest(List<Row> rows) {
        int lowest = lowest(rows);
        int steepest = Math.max(1, Math.min(lowest, rows.size() - 2));
        double bestSlope = Double.MAX_VALUE;
        for (int i = 1; i < Math.min(lowest, rows.size() - 1); i++) {
            Row a = rows.get(i - 1), b = rows.get(i + 1);
            double slope = (b.smoothedLoss() - a.smoothedLoss()) / (Math.log10(b.learningRate()) - Math.log10(a.learningRate()));
            if (slope < bestSlope) {
                bestSlope = slope;
                steepest = i;
            }
        }
        return Math.min(steepest, rows.size() - 1);
    }

    /** A text plot of smoothed loss (y) against learning rate on a log scale (x). */
    static String plot(List<Row> rows, int width, int height) {
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (Row r : rows) {
            lo = Math.min(lo, r.smoothedLoss());
            hi = Math.max(hi, r.smoothedLoss());
        }
        hi = Math.min(hi, lo + 3 * (rows.get(0).smoothedLoss() - lo + 1e-9)); // keep the divergence from flattening the curve
        char[][] grid = new char[height][width];
        for (char[] line : grid) {
            Arrays.fill(line, ' ');
        }
        double x0 = Math.log10(rows.get(0).learningRate()), x1 = Math.log10(rows.get(rows.size() - 1).learningRate());
        for (Row r : rows) {
            if (Double.isNaN(r.smoothedLoss())) {
                continue;
            }
            int x = (int) Math.round((Math.log10(r.learningRate()) - x0) / Math.max(1e-9, x1 - x0) * (width - 1));
            int y = (int) Math.round((Math.min(r.smoothedLoss(), hi) - lo) / Math.max(1e-9, hi - lo) * (height - 1));
            grid[height - 1 - y][x] = '*';
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "smoothed loss %.3f .. %.3f%n", lo, hi));
        for (char[] line : grid) {
            sb.append("  |").append(new String(line).stripTrailing()).append('\n');
        }
        sb.append("  +").append("-".repeat(width)).append('\n');
        sb.append(String.format(Locale.ROOT, "   lr %.0e%s%.0e (log scale)%n", rows.get(0).learningRate(), " ".repeat(Math.max(1, width - 22)),
                rows.get(rows.size() - 1).learningRate()));
        return sb.toString();
    }
}
