package konomi.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SimCLR's contrastive loss, NT-Xent (Chen et al. 2020), for self-supervised pretraining: a batch of 2N rows holds
 * two augmented views of N pictures, row i and row i+N of the same one. Each row's embedding, scaled to unit length,
 * should be nearer (cosine / {@link #TEMPERATURE}) to its partner than to the other 2N-2 rows: the loss of row i is the
 * cross-entropy of a softmax over those similarities with the partner as the class. Labels are ignored. Unlike DL4J's
 * losses it couples the rows of a batch, which the loss-function interface allows since it sees the whole batch.
 * The gradient is of the summed loss (DL4J divides by the batch itself). No fields: it serialises as its class name.
 */
public final class NtXentLoss extends RowLoss {
    private static final long serialVersionUID = 1L;
    /** SimCLR's range is 0.1-0.5; 0.2 suits batches of 64 pictures (126 other rows). */
    public static final double TEMPERATURE = 0.2;

    /** The softmax of each row over the other rows' similarities, with the embeddings it came from. */
    private record Similarities(int n, int d, float[] z, double[] norm, double[][] p, double[] loss) {
    }

    private static Similarities similarities(INDArray preOutput, IActivation activationFn) {
        if (preOutput.rank() != 2 || preOutput.size(0) % 2 != 0 || preOutput.size(0) < 2) {
            throw new IllegalArgumentException("NT-Xent needs two views of each picture (an even number of rows), not "
                    + java.util.Arrays.toString(preOutput.shape()));
        }
        float[] z = flat(activationFn.getActivation(preOutput.dup(), true));
        int n = (int) preOutput.size(0), d = (int) preOutput.size(1);
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += (double) z[i * d + k] * z[i * d + k];
            }
            norm[i] = Math.sqrt(s) + 1e-8;
            for (int k = 0; k < d; k++) {
                z[i * d + k] /= norm[i];
            }
        }
        double[][] p = new double[n][n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += (double) z[i * d + k] * z[j * d + k];
                    }
                    p[i][j] = s / TEMPERATURE;
                    max = Math.max(max, p[i][j]);
                }
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    sum += Math.exp(p[i][j] - max);
                }
            }
            loss[i] = Math.log(sum) + max - p[i][partner(i, n)];
            for (int j = 0; j < n; j++) {
                p[i][j] = j == i ? 0 : Math.exp(p[i][j] - max) / sum;
            }
        }
        return new Similarities(n, d, z, norm, p, loss);
    }

    private static int partner(int i, int n) {
        return i < n / 2 ? i + n / 2 : i - n / 2;
    }

    @Override
    protected double[] scores(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return similarities(preOutput, activationFn).loss();
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Similarities s = similarities(preOutput, activationFn);
        int n = s.n(), d = s.d();
        float[] z = s.z();
        // d loss / d sim_ij = p_ij - [j is i's partner], and sim_ij = z_i.z_j / T feeds both rows
        double[] dz = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double g = (s.p()[i][j] - (j == partner(i, n) ? 1 : 0)) + (s.p()[j][i] - (i == partner(j, n) ? 1 : 0));
                for (int k = 0; k < d; k++) {
                    dz[i * d + k] += g * z[j * d + k] / TEMPERATURE;
                }
            }
        }
        // through z = h / |h|: the part of the gradient along z_i is lost to the scaling
        float[] dh = new float[n * d];
        for (int i = 0; i < n; i++) {
            double along = 0;
            for (int k = 0; k < d; k++) {
                along += dz[i * d + k] * z[i * d + k];
            }
            for (int k = 0; k < d; k++) {
                dh[i * d + k] = (float) ((dz[i * d + k] - along * z[i * d + k]) / s.norm()[i]);
            }
        }
        INDArray epsilon = Nd4j.create(dh, new long[] {n, d}, 'c').castTo(preOutput.dataType());
        return activationFn.backprop(preOutput.dup(), epsilon).getFirst();
    }

    @Override
    public String name() {
        return "NtXentLoss";
    }
}
