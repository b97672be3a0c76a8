package konomi.sink.report;

import java.util.Arrays;

/**
 * A histogram of a stream of values in fixed memory: {@link #FINE} equal bins whose width doubles (merging
 * neighbours) whenever a value falls outside their span, plus the exact minimum and maximum. Drawn as
 * {@code n} bins between minimum and maximum, each fine bin counted in the drawn bin that holds its centre, so a
 * drawn count is off by at most the values of one fine bin at each edge.
 */
final class Histogram {
    static final int FINE = 1024;
    private final long[] counts = new long[FINE];
    private double origin, width;
    private double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    private long n;

    void add(double v) {
        if (!Double.isFinite(v)) {
            return;
        }
        if (n == 0) {
            width = Math.max(Math.ulp(v), Math.abs(v) * 1e-6 + 1e-9);
            origin = Math.floor(v / width) * width - FINE / 2.0 * width;
        }
        while (v < origin || v >= origin + FINE * width) {
            grow();
        }
        counts[Math.min(FINE - 1, (int) ((v - origin) / width))]++;
        n++;
        min = Math.min(min, v);
        max = Math.max(max, v);
    }

    /** Doubles the bin width, keeping the current span in the middle of the new one. */
    private void grow() {
        double w2 = width * 2, o2 = origin - FINE / 2.0 * width;
        long[] merged = new long[FINE];
        for (int i = 0; i < FINE; i++) {
            if (counts[i] != 0) {
                double centre = origin + (i + 0.5) * width;
                merged[Math.min(FINE - 1, (int) ((centre - o2) / w2))] += counts[i];
            }
        }
        System.arraycopy(merged, 0, counts, 0, FINE);
        origin = o2;
        width = w2;
    }

    long count() {
        return n;
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    /** {@code bins} counts between {@link #min()} and {@link #max()} (one bin when they are equal). */
    long[] bins(int bins) {
        long[] out = new long[bins];
        if (n == 0) {
            return out;
        }
        double lo = min, hi = max > min ? max : min + 1;
        for (int i = 0; i < FINE; i++) {
            if (counts[i] != 0) {
                double centre = Math.max(lo, Math.min(max, origin + (i + 0.5) * width));
                out[Math.min(bins - 1, (int) ((centre - lo) / (hi - lo) * bins))] += counts[i];
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return n + " values in [" + min + ", " + max + "]: " + Arrays.toString(bins(10));
    }
}
