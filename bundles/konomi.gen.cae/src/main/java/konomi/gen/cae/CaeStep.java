package konomi.gen.cae;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import konomi.nn.gan.Backprop;
import konomi.nn.gan.SpectralNorm;

/**
 * One training step of the conditional adversarial autoencoder (Zhang, Song and Qi, CVPR 2017): the encoder maps a
 * face to a code in [-1, 1]; the decoder draws a face from the code and a one-hot label. Three losses train them:
 * the L1 reconstruction of the face from its code and its own label; a code discriminator that pushes codes towards
 * the uniform prior, so the code cannot carry much of the label and the decoder must take it from the label; and an
 * image discriminator, shown a picture with its label as extra planes, that makes the drawn faces sharp and true to
 * the label. Both discriminators use the hinge loss and spectral normalisation. Beyond the paper, the decoder also draws
 * every code with another label and the image discriminator judges that drawing against the label asked for: with
 * the reconstruction loss alone the code carries the character and the decoder learns to ignore the label (measured:
 * the scorer agreed with the asked label less often than chance after two epochs).
 */
final class CaeStep {
    private final CaeNets n;
    private final SpectralNorm snImage, snCode;
    private final double codeWeight, imageWeight;
    private final java.util.Random random;
    private int iteration;

    CaeStep(CaeNets nets, long seed, double codeWeight, double imageWeight, int iteration) {
        this.n = nets;
        this.snImage = new SpectralNorm(nets.imageD, seed);
        this.snCode = new SpectralNorm(nets.codeD, seed + 1);
        this.codeWeight = codeWeight;
        this.imageWeight = imageWeight;
        this.iteration = iteration;
        this.random = new java.util.Random(seed);
    }

    record Losses(double reconstruction, double codeD, double imageD, double codeG, double imageG) {
    }

    int iteration() {
        return iteration;
    }

    /** @param x faces, NCHW in [-1, 1]; @param labels their label indices */
    Losses step(INDArray x, int[] labels, int epoch) {
        int b = (int) x.size(0);
        int[] targets = new int[b];
        for (int i = 0; i < b; i++) { // another label for every face: what a transform asks for
            int t = random.nextInt(n.labels - 1);
            targets[i] = t >= labels[i] ? t + 1 : t;
        }
        INDArray onehot = CaeNets.onehot(labels, n.labels), onehotT = CaeNets.onehot(targets, n.labels);
        // encoder forward; the decoder draws each code twice in one batch: with its own label (the reconstruction)
        // and with the other label (the transform)
        INDArray z = Backprop.forward(n.encoder, x).dup();
        INDArray both = CaeNets.decoderInput(Nd4j.concat(0, z, z), Nd4j.concat(0, onehot, onehotT));
        INDArray drawn = Backprop.forward(n.decoder, both).dup();
        INDArray made = drawn.get(NDArrayIndex.interval(0, b)), moved = drawn.get(NDArrayIndex.interval(b, 2 * b));

        // code discriminator: prior samples are real, codes are fake
        INDArray prior = Nd4j.rand(DataType.FLOAT, b, n.latent).muli(2).subi(1);
        double codeD = discriminatorStep(n.codeD, prior, z, snCode, epoch);
        // image discriminator: faces with their labels are real; reconstructions with their labels and transforms with
        // the labels asked for are fake, so it learns what each label looks like and the decoder must draw it
        int size = (int) x.size(2);
        INDArray planes = CaeNets.planes(onehot, size), planesBoth = CaeNets.planes(Nd4j.concat(0, onehot, onehotT), size);
        double imageD = discriminatorStep(n.imageD, Nd4j.concat(1, x, planes), Nd4j.concat(1, drawn, planesBoth), snImage, epoch);

        // encoder + decoder: L1 reconstruction, fooling the image discriminator with both drawings (through the
        // decoder) and the code discriminator (at the code)
        double rec = Transforms.abs(made.sub(x), true).meanNumber().doubleValue();
        INDArray dDrawn = Nd4j.zeros(DataType.FLOAT, drawn.shape());
        dDrawn.get(NDArrayIndex.interval(0, b)).assign(Transforms.sign(made.sub(x), true).divi(made.length()));
        INDArray li = forward(n.imageD, Nd4j.concat(1, drawn, planesBoth));
        double imageG = -li.meanNumber().doubleValue();
        INDArray throughD = Backprop.backward(n.imageD, Nd4j.valueArrayOf(new long[] {2L * b, 1, 1, 1}, -1.0 / (2 * b), DataType.FLOAT)).getSecond();
        dDrawn.addi(throughD.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3), NDArrayIndex.all(), NDArrayIndex.all()).mul(imageWeight));
        // the decoder's inputs must be its own again before its backprop (the discriminators ran in between)
        Backprop.forward(n.decoder, both);
        Pair<Gradient, INDArray> dec = Backprop.backward(n.decoder, dDrawn);
        Backprop.update(n.decoder, dec.getFirst(), iteration, epoch, 2 * b);
        INDArray dIn = dec.getSecond().reshape(2L * b, n.latent + n.labels);
        INDArray dz = dIn.get(NDArrayIndex.interval(0, b), NDArrayIndex.interval(0, n.latent))
                .add(dIn.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.interval(0, n.latent)));
        INDArray lc = forward(n.codeD, z);
        double codeG = -lc.meanNumber().doubleValue();
        INDArray throughC = Backprop.backward(n.codeD, Nd4j.valueArrayOf(new long[] {b, 1}, -1.0 / b, DataType.FLOAT)).getSecond();
        dz.addi(throughC.mul(codeWeight));
        Backprop.forward(n.encoder, x);
        Pair<Gradient, INDArray> enc = Backprop.backward(n.encoder, dz);
        Backprop.update(n.encoder, enc.getFirst(), iteration, epoch, b);
        iteration++;
        return new Losses(rec, codeD, imageD, codeG, imageG);
    }

    /** Hinge loss on real and fake in separate passes, gradients summed, one update, spectral norm after it. */
    private double discriminatorStep(MultiLayerNetwork d, INDArray real, INDArray fake, SpectralNorm sn, int epoch) {
        int b = (int) real.size(0), bf = (int) fake.size(0);
        INDArray lr = forward(d, real);
        double loss = Transforms.relu(lr.rsub(1)).meanNumber().doubleValue();
        Gradient gr = Backprop.backward(d, lr.rsub(1).gt(0).castTo(DataType.FLOAT).muli(-1.0 / b).reshape(outShape(d, b))).getFirst();
        INDArray sum = gr.gradient().dup();
        INDArray lf = forward(d, fake);
        loss += Transforms.relu(lf.add(1)).meanNumber().doubleValue();
        Gradient gf = Backprop.backward(d, lf.add(1).gt(0).castTo(DataType.FLOAT).muli(1.0 / bf).reshape(outShape(d, bf))).getFirst();
        gf.gradient().addi(sum);
        Backprop.update(d, gf, iteration, epoch, b);
        sn.apply();
        return loss;
    }

    private long[] outShape(MultiLayerNetwork d, int b) {
        return d == n.codeD ? new long[] {b, 1} : new long[] {b, 1, 1, 1};
    }

    private static INDArray forward(MultiLayerNetwork d, INDArray input) {
        INDArray out = Backprop.forward(d, input);
        return out.reshape(out.size(0));
    }
}
