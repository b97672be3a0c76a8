package konomi.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Evaluation figures: classification (accuracy, top-3, confusion) and regression (MAE, RMSE, Spearman). */
final class Metrics {
    private Metrics() {
    }

    /** Classification from predicted probabilities (rows) and true class indices. */
    static Map<String, Double> classification(float[][] probs, int[] truth, int[][] confusion) {
        int n = truth.length, top1 = 0, top3 = 0;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            float[] p = probs[i];
            int best = argmax(p);
            confusion[truth[i]][best]++;
            if (best == truth[i]) {
                top1++;
            }
            int higher = 0;
            for (float v : p) {
                if (v > p[truth[i]]) {
                    higher++;
                }
            }
            if (higher < 3) {
                top3++;
            }
            loss -= Math.log(Math.max(p[truth[i]], 1e-7));
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss / Math.max(1, n));
        m.put("accuracy", (double) top1 / Math.max(1, n));
        m.put("top3", (double) top3 / Math.max(1, n));
        m.put("n", (double) n);
        return m;
    }

    static Map<String, Double> regression(double[] pred, double[] truth) {
        int n = truth.length;
        double se = 0, ae = 0;
        for (int i = 0; i < n; i++) {
            se += (pred[i] - truth[i]) * (pred[i] - truth[i]);
            ae += Math.abs(pred[i] - truth[i]);
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", se / Math.max(1, n));
        m.put("mae", ae / Math.max(1, n));
        m.put("rmse", Math.sqrt(se / Math.max(1, n)));
        m.put("spearman", pearson(ranks(pred), ranks(truth)));
        m.put("pearson", pearson(pred, truth));
        m.put("n", (double) n);
        return m;
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int j = 1; j < p.length; j++) {
            if (p[j] > p[best]) {
                best = j;
            }
        }
        return best;
    }

    /** Ranks from 1, ties sharing their average rank. */
    static double[] ranks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = avg;
            }
            i = j + 1;
        }
        return r;
    }

    static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = Arrays.stream(a).average().orElse(0), mb = Arrays.stream(b).average().orElse(0);
        double cov = 0, va = 0, vb = 0;
        for (int i = 0; i < n; i++) {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        return va == 0 || vb == 0 ? 0 : cov / Math.sqrt(va * vb);
    }

    /**
     * One bin of a reliability diagram: the pictures whose prediction fell in {@code [from, to)}, their mean
     * prediction and the mean of what was true (a regressor's true value; a classifier's 1 when its top class was right).
     */
    record Bin(double from, double to, int n, double predicted, double actual) {
    }

    /**
     * A reliability diagram: {@code bins} equal bins of the predictions over {@code [lo, hi]} (the last one closed),
     * predictions outside counted in the nearest; empty bins left out.
     */
    static java.util.List<Bin> reliability(double[] predicted, double[] actual, double lo, double hi, int bins) {
        double[] sumP = new double[bins], sumA = new double[bins];
        int[] n = new int[bins];
        for (int i = 0; i < predicted.length; i++) {
            int b = (int) Math.floor((predicted[i] - lo) / (hi - lo) * bins);
            b = Math.max(0, Math.min(bins - 1, b));
            sumP[b] += predicted[i];
            sumA[b] += actual[i];
            n[b]++;
        }
        java.util.List<Bin> out = new java.util.ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (n[b] > 0) {
                out.add(new Bin(lo + (hi - lo) * b / bins, lo + (hi - lo) * (b + 1) / bins, n[b], sumP[b] / n[b], sumA[b] / n[b]));
            }
        }
        return out;
    }

    /** The expected calibration error: the bins' mean |predicted - actual|, weighted by their pictures. */
    static double calibrationError(java.util.List<Bin> bins) {
        double sum = 0;
        int n = 0;
        for (Bin b : bins) {
            sum += b.n() * Math.abs(b.predicted() - b.actual());
            n += b.n();
        }
        return n == 0 ? 0 : sum / n;
    }
}
