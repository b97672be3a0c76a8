package konomi.nn.detect;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import konomi.nn.RowLoss;

/**
 * The loss of the centre head (after CenterNet, Zhou et al. 2019), for a {@code CnnLossLayer}, which hands it one
 * row per output cell and one column per channel: channel 0 is the face-centre heatmap (logits; the penalty-reduced
 * focal loss against a Gaussian target that is exactly 1 at each face's centre cell), channels 1-2 the centre's
 * offset inside its cell and 3-4 the log of the face's width and height in cells (L1, only at centre cells).
 * Unlike YOLOv2's objectness, whose target is the IoU of a still poor predicted box, the heatmap target does not
 * wait for the box to be right, which is why it learns faster. Labels have the same layout (see
 * {@code DetectionBatches}). No state, so it serialises into the model zip as just its class name.
 */
public final class CentreLoss extends RowLoss {
    private static final long serialVersionUID = 1L;
    public static final int CHANNELS = 5;
    /** Focal loss exponents (CenterNet's). */
    private static final double ALPHA = 2, BETA = 4;
    private static final double EPS = 1e-4;
    /** Weight of the L1 terms of offsets and log sizes. */
    private static final double BOX_WEIGHT = 1;

    /** Whether a heatmap target marks a centre cell. */
    static boolean centre(double target) {
        return target >= 1 - 1e-6;
    }

    /** Per-row losses and (when {@code gradient} is not null) d loss / d activation, written into it. */
    private static double[] rows(float[] y, float[] z, float[] gradient) {
        int n = y.length / CHANNELS;
        double[] loss = new double[n];
        for (int r = 0; r < n; r++) {
            int o = r * CHANNELS;
            double t = y[o], p = Math.min(1 - EPS, Math.max(EPS, 1 / (1 + Math.exp(-z[o]))));
            double l;
            if (centre(t)) {
                l = -Math.pow(1 - p, ALPHA) * Math.log(p);
                if (gradient != null) {
                    gradient[o] = (float) (Math.pow(1 - p, ALPHA) * (ALPHA * p * Math.log(p) - (1 - p)));
                }
                for (int c = 1; c < CHANNELS; c++) {
                    double d = z[o + c] - y[o + c];
                    l += BOX_WEIGHT * Math.abs(d);
                    if (gradient != null) {
                        gradient[o + c] = (float) (BOX_WEIGHT * Math.signum(d));
                    }
                }
            } else {
                double w = Math.pow(1 - t, BETA);
                l = -w * Math.pow(p, ALPHA) * Math.log(1 - p);
                if (gradient != null) {
                    gradient[o] = (float) (-w * Math.pow(p, ALPHA) * (ALPHA * (1 - p) * Math.log(1 - p) - p));
                }
            }
            loss[r] = l;
        }
        return loss;
    }

    private static void check(INDArray labels, INDArray preOutput) {
        if (labels.rank() != 2 || labels.size(1) != CHANNELS || !java.util.Arrays.equals(labels.shape(), preOutput.shape())) {
            throw new IllegalArgumentException("centre loss needs [cells, " + CHANNELS + "] labels and output, not "
                    + java.util.Arrays.toString(labels.shape()) + " and " + java.util.Arrays.toString(preOutput.shape()));
        }
    }

    private static double[] masked(double[] loss, INDArray mask) {
        if (mask != null) {
            float[] m = flat(mask);
            for (int r = 0; r < loss.length; r++) {
                loss[r] *= m[r];
            }
        }
        return loss;
    }

    @Override
    protected double[] scores(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        check(labels, preOutput);
        INDArray out = activationFn.getActivation(preOutput.dup(), false);
        return masked(rows(flat(labels), flat(out), null), mask);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        check(labels, preOutput);
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        float[] g = new float[(int) labels.length()];
        rows(flat(labels), flat(out), g);
        if (mask != null) {
            float[] m = flat(mask);
            for (int i = 0; i < g.length; i++) {
                g[i] *= m[i / CHANNELS];
            }
        }
        INDArray dLda = Nd4j.create(g, preOutput.shape(), 'c').castTo(preOutput.dataType());
        return activationFn.backprop(preOutput.dup(), dLda).getFirst();
    }

    @Override
    public String name() {
        return "CentreLoss";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CentreLoss;
    }

    @Override
    public int hashCode() {
        return CentreLoss.class.hashCode();
    }

}
