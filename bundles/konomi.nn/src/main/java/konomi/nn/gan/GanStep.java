package konomi.nn.gan;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One adversarial training step for a generator and a discriminator built by {@link GanNets}. DL4J has no GAN
 * trainer, so the step uses its external-error backprop: the loss and its gradient with respect to the
 * discriminator's logits are computed here, {@code backpropGradient} turns them into parameter gradients (and, for the
 * generator's step, the gradient with respect to the discriminator's input, which flows on into the generator), and
 * each network's own updater (Adam) applies them. Neither network is ever frozen, so there is no
 * {@code FrozenLayerWithBackprop} (whose batch norm breaks) and no parameter copying between networks.
 */
public final class GanStep {
    /** The losses: the original non-saturating DCGAN loss, or the hinge loss of SN-GAN/BigGAN. */
    public enum Loss { DCGAN, HINGE }

    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    private final MultiLayerNetwork g, d;
    private final Loss loss;
    private final SpectralNorm spectral;
    private final DiffAugment augment;
    private final WeightAverage average;
    private final int latent;
    private int iteration;

    /**
     * @param spectral null for none
     * @param augment  null for none
     * @param average  null to keep no average of the generator's weights
     */
    public GanStep(MultiLayerNetwork generator, MultiLayerNetwork discriminator, Loss loss, SpectralNorm spectral,
                   DiffAugment augment, WeightAverage average, int iteration) {
        this.g = generator;
        this.d = discriminator;
        this.loss = loss;
        this.spectral = spectral;
        this.augment = augment;
        this.average = average;
        this.latent = GanNets.latent(generator);
        this.iteration = iteration;
    }

    /** The losses of one step. */
    public record Losses(double discriminator, double generator, double realScore, double fakeScore) {
    }

    /** Latent vectors for {@code n} pictures. */
    public INDArray noise(int n) {
        return Nd4j.randn(DataType.FLOAT, n, latent, 1, 1);
    }

    /**
     * One discriminator update on {@code real} and as many generated pictures, then one generator update.
     *
     * @param real NCHW batch in [-1, 1]
     */
    public Losses step(INDArray real, int epoch) {
        int n = (int) real.size(0);
        // discriminator: real and generated in one batch
        INDArray fake = g.output(noise(n), true);
        INDArray both = Nd4j.concat(0, real, fake);
        INDArray seen = augment == null ? both : augment.apply(both).output();
        INDArray logits = forward(d, seen);
        INDArray lr = logits.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)),
                lf = logits.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n, 2 * n));
        INDArray grad = Nd4j.zeros(DataType.FLOAT, 2 * n);
        double lossD;
        if (loss == Loss.HINGE) {
            INDArray activeR = lr.rsub(1).gt(0).castTo(DataType.FLOAT), activeF = lf.add(1).gt(0).castTo(DataType.FLOAT);
            lossD = Transforms.relu(lr.rsub(1)).meanNumber().doubleValue() + Transforms.relu(lf.add(1)).meanNumber().doubleValue();
            grad.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).assign(activeR.muli(-1.0 / n));
            grad.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n, 2 * n)).assign(activeF.muli(1.0 / n));
        } else {
            lossD = softplus(lr.neg()).meanNumber().doubleValue() + softplus(lf).meanNumber().doubleValue();
            grad.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).assign(Transforms.sigmoid(lr.neg()).muli(-1.0 / n));
            grad.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n, 2 * n)).assign(Transforms.sigmoid(lf).muli(1.0 / n));
        }
        double realScore = lr.meanNumber().doubleValue(), fakeScore = lf.meanNumber().doubleValue();
        Pair<Gradient, INDArray> pd = d.backpropGradient(grad.reshape(2 * n, 1, 1, 1), NO_WS);
        apply(d, pd.getFirst(), epoch, 2 * n);
        if (spectral != null) {
            spectral.apply();
        }

        // generator: through the discriminator (its gradients computed, not applied) into the generator
        g.setInput(noise(n));
        INDArray made = g.feedForward(true, false).get(g.getnLayers());
        DiffAugment.Applied aug = augment == null ? null : augment.apply(made);
        INDArray lg = forward(d, aug == null ? made : aug.output());
        double lossG;
        INDArray gg;
        if (loss == Loss.HINGE) {
            lossG = -lg.meanNumber().doubleValue();
            gg = Nd4j.valueArrayOf(new long[] {n}, -1.0 / n, DataType.FLOAT);
        } else {
            lossG = softplus(lg.neg()).meanNumber().doubleValue();
            gg = Transforms.sigmoid(lg.neg()).muli(-1.0 / n);
        }
        INDArray intoD = d.backpropGradient(gg.reshape(n, 1, 1, 1), NO_WS).getSecond().dup();
        INDArray intoG = aug == null ? intoD : aug.backward(intoD);
        Pair<Gradient, INDArray> pg = g.backpropGradient(intoG, NO_WS);
        apply(g, pg.getFirst(), epoch, n);
        if (average != null) {
            average.update(g, iteration);
        }
        iteration++;
        return new Losses(lossD, lossG, realScore, fakeScore);
    }

    /** Updates done so far (Adam's bias correction and the schedules count them). */
    public int iteration() {
        return iteration;
    }

    private static INDArray forward(MultiLayerNetwork net, INDArray input) {
        net.setInput(input);
        INDArray out = net.feedForward(true, false).get(net.getnLayers());
        return out.reshape(out.size(0));
    }

    private void apply(MultiLayerNetwork net, Gradient gradient, int epoch, int batch) {
        net.getUpdater().update(net, gradient, iteration, epoch, batch, NO_WS);
        net.params().subi(gradient.gradient());
        net.getLayerWiseConfigurations().setIterationCount(iteration + 1);
        net.getLayerWiseConfigurations().setEpochCount(epoch);
    }

    private static INDArray softplus(INDArray x) {
        return Transforms.softPlus(x, true);
    }
}
