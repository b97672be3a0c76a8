package konomi.nn.gan;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import konomi.nn.WeightAverage;

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

    private final MultiLayerNetwork g, d;
    private final Loss loss;
    private final SpectralNorm spectral;
    private final DiffAugment augment;
    private final WeightAverage<MultiLayerNetwork> average;
    private final int latent;
    private int iteration;

    /**
     * @param spectral null for none
     * @param augment  null for none
     * @param average  null to keep no average of the generator's weights
     */
    public GanStep(MultiLayerNetwork generator, MultiLayerNetwork discriminator, Loss loss, SpectralNorm spectral,
                   DiffAugment augment, WeightAverage<MultiLayerNetwork> average, int iteration) {
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
        // discriminator: real and generated pictures in separate passes, as the DCGAN paper does, so that batch norm
        // (in the DCGAN discriminator) never mixes their statistics; the two gradients are summed before the update
        INDArray fake = g.output(noise(n), true);
        INDArray lr = forward(d, augment == null ? real : augment.apply(real).output());
        double lossD;
        INDArray gradR, gradF;
        if (loss == Loss.HINGE) {
            lossD = Transforms.relu(lr.rsub(1)).meanNumber().doubleValue();
            gradR = lr.rsub(1).gt(0).castTo(DataType.FLOAT).muli(-1.0 / n);
        } else {
            lossD = softplus(lr.neg()).meanNumber().doubleValue();
            gradR = Transforms.sigmoid(lr.neg()).muli(-1.0 / n);
        }
        double realScore = lr.meanNumber().doubleValue();
        Gradient fromReal = Backprop.backward(d, gradR.reshape(n, 1, 1, 1)).getFirst();
        INDArray sum = fromReal.gradient().dup();
        INDArray lf = forward(d, augment == null ? fake : augment.apply(fake).output());
        if (loss == Loss.HINGE) {
            lossD += Transforms.relu(lf.add(1)).meanNumber().doubleValue();
            gradF = lf.add(1).gt(0).castTo(DataType.FLOAT).muli(1.0 / n);
        } else {
            lossD += softplus(lf).meanNumber().doubleValue();
            gradF = Transforms.sigmoid(lf).muli(1.0 / n);
        }
        double fakeScore = lf.meanNumber().doubleValue();
        Gradient fromFake = Backprop.backward(d, gradF.reshape(n, 1, 1, 1)).getFirst();
        fromFake.gradient().addi(sum); // the flattened view: every parameter's gradient is now real + fake
        apply(d, fromFake, epoch, n);
        if (spectral != null) {
            spectral.apply();
        }

        // generator: through the discriminator (its gradients computed, not applied) into the generator
        INDArray made = Backprop.forward(g, noise(n));
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
        INDArray intoD = Backprop.backward(d, gg.reshape(n, 1, 1, 1)).getSecond().dup();
        INDArray intoG = aug == null ? intoD : aug.backward(intoD);
        Pair<Gradient, INDArray> pg = Backprop.backward(g, intoG);
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
        INDArray out = Backprop.forward(net, input);
        return out.reshape(out.size(0));
    }

    private void apply(MultiLayerNetwork net, Gradient gradient, int epoch, int batch) {
        Backprop.update(net, gradient, iteration, epoch, batch);
    }

    private static INDArray softplus(INDArray x) {
        return Transforms.softPlus(x, true);
    }
}
