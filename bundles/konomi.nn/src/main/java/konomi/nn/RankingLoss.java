package konomi.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A regressor's loss that learns from pairs as well as ratings: the squared error (which keeps the output on the
 * rating scale) plus {@code weight} times RankNet's pairwise logistic loss (Burges et al. 2005) over every pair of
 * the batch whose ratings differ, {@code log(1 + exp(-(s_i - s_j)))} for {@code y_i > y_j}, averaged over the pairs.
 * DL4J hands a loss the whole batch, so the pairs need no special batches. Serialises as its class and weight.
 */
public final class RankingLoss extends RowLoss {
    private static final long serialVersionUID = 1L;
    /** The pairwise term's weight against the squared error (public for DL4J's JSON). */
    public double weight = 1;

    public RankingLoss() {
    }

    public RankingLoss(double weight) {
        this.weight = weight;
    }

    /** Per-example loss shares and, when {@code g} is not null, {@code n} times d loss / d output (DL4J divides by n). */
    private double[] examples(float[] y, float[] s, float[] g) {
        int n = y.length;
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            double d = s[i] - y[i];
            loss[i] = d * d;
            if (g != null) {
                g[i] = (float) (2 * d);
            }
        }
        int pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                pairs += y[i] > y[j] ? 1 : 0;
            }
        }
        if (pairs == 0 || weight == 0) {
            return loss;
        }
        double per = weight * n / pairs; // the pair mean, spread over the examples so that their mean is the batch loss
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (y[i] > y[j]) {
                    double m = s[i] - s[j], l = m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
                    loss[i] += per * l / 2;
                    loss[j] += per * l / 2;
                    if (g != null) {
                        double sig = 1 / (1 + Math.exp(m)); // d l / d m = -sigmoid(-m)
                        g[i] -= (float) (per * sig);
                        g[j] += (float) (per * sig);
                    }
                }
            }
        }
        return loss;
    }

    private static void check(INDArray labels, INDArray preOutput) {
        if (labels.rank() != 2 || labels.size(1) != 1 || !java.util.Arrays.equals(labels.shape(), preOutput.shape())) {
            throw new IllegalArgumentException("ranking loss needs [n, 1] labels and output, not " + java.util.Arrays.toString(labels.shape())
                    + " and " + java.util.Arrays.toString(preOutput.shape()));
        }
    }

    @Override
    protected double[] scores(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        check(labels, preOutput);
        double[] l = examples(flat(labels), flat(activationFn.getActivation(preOutput.dup(), false)), null);
        if (mask != null) {
            float[] m = flat(mask);
            for (int i = 0; i < l.length; i++) {
                l[i] *= m[i];
            }
        }
        return l;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        check(labels, preOutput);
        float[] g = new float[(int) labels.length()];
        examples(flat(labels), flat(activationFn.getActivation(preOutput.dup(), true)), g);
        if (mask != null) {
            float[] m = flat(mask);
            for (int i = 0; i < g.length; i++) {
                g[i] *= m[i];
            }
        }
        INDArray dLda = Nd4j.create(g, preOutput.shape(), 'c').castTo(preOutput.dataType());
        return activationFn.backprop(preOutput.dup(), dLda).getFirst();
    }

    @Override
    public String name() {
        return "RankingLoss(" + weight + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RankingLoss r && r.weight == weight;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(weight);
    }

}
