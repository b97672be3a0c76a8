package konomi.train;

import java.util.ArrayList;
import java.util.List;

import konomi.api.train.CvResult;

/** Per-epoch summaries of cross-validation folds: the mean and the sample standard deviation over folds. */
final class CvStats {
    private CvStats() {
    }

    /** One summary per epoch; folds must all have the same number of epochs. */
    static List<CvResult.EpochStats> perEpoch(List<CvResult.Fold> folds) {
        int epochs = folds.get(0).metric().size();
        List<CvResult.EpochStats> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            double[] v = new double[folds.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = folds.get(k).metric().get(e);
            }
            out.add(new CvResult.EpochStats(e + 1, mean(v), sd(v)));
        }
        return out;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (n - 1), 0 for a single value. */
    static double sd(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v), sq = 0;
        for (double x : v) {
            sq += (x - m) * (x - m);
        }
        return Math.sqrt(sq / (v.length - 1));
    }
}
