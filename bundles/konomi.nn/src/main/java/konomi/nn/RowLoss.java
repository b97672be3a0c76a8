package konomi.nn;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * What Konomi's own losses share: each computes one loss per row (example or output cell) in Java, and the score,
 * the score array and the gradient-and-score pair follow from that. No fields, so a subclass serialises as before.
 */
public abstract class RowLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    /** One loss per row, masked. */
    protected abstract double[] scores(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask);

    /** A c-ordered copy of an array's values. */
    protected static float[] flat(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double sum = 0;
        double[] l = scores(labels, preOutput, activationFn, mask);
        for (double v : l) {
            sum += v;
        }
        return average ? sum / l.length : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] l = scores(labels, preOutput, activationFn, mask);
        return Nd4j.create(l, new long[] {l.length, 1}, preOutput.dataType());
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                                          boolean average) {
        return Pair.of(computeScore(labels, preOutput, activationFn, mask, average), computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String toString() {
        return name();
    }
}
