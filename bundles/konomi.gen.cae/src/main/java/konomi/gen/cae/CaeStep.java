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
 * the label. Both discriminators use the hinge loss and spectral normalisation.
 */
final class CaeStep {
    private final CaeNets n;
    private final SpectralNorm snImage, snCode;
    private final double codeWeight, imageWeight;
    private int iteration;

    CaeStep(CaeNets nets, long seed, double codeWeight, double imageWeight, int iteration) {
        this.n = nets;
        this.snImage = new SpectralNorm(nets.imageD, seed);
        this.snCode = new SpectralNorm(nets.codeD, seed + 1);
        this.codeWeight = codeWeight;
        this.imageWeight = imageWeight;
        this.iteration = iteration;
    }

    record Losses(double reconstruction, double codeD, double imageD, double codeG, double imageG) {
    }

    int iteration() {
        return iteration;
    }

    /** @param x faces, NCHW in [-1, 1]; @param labels their label indices */
    Losses step(INDArray x, int[] labels, int epoch) {
        int b = (int) x.size(0);
        INDArray onehot = CaeNets.onehot(labels, n.labels);
        // encoder and decoder forward (training mode; kept for their backprop at the end)
        INDArray z = Backprop.forward(n.encoder, x).dup();
        INDArray made = Backprop.forward(n.decoder, CaeNets.decoderInput(z, onehot)).dup();

        // code discriminator: prior samples are real, codes are fake
        INDArray prior = Nd4j.rand(DataType.FLOAT, b, n.latent).muli(2).subi(1);
        double codeD = discriminatorStep(n.codeD, prior, z, snCode, epoch);
        // image discriminator: faces with their labels are real, reconstructions with the same labels are fake
        INDArray planes = CaeNets.planes(onehot, (int) x.size(2));
        double imageD = discriminatorStep(n.imageD, Nd4j.concat(1, x, planes), Nd4j.concat(1, made, planes), snImage, epoch);

        // encoder + decoder: reconstruction, then fooling the image discriminator (through the decoder) and the code
        // discriminator (at the code)
        double rec = Transforms.abs(made.sub(x), true).meanNumber().doubleValue();
        INDArray dMade = Transforms.sign(made.sub(x), true).divi(made.length());
        INDArray li = forward(n.imageD, Nd4j.concat(1, made, planes));
        double imageG = -li.meanNumber().doubleValue();
        INDArray throughD = Backprop.backward(n.imageD, Nd4j.valueArrayOf(new long[] {b, 1, 1, 1}, -1.0 / b, DataType.FLOAT)).getSecond();
        dMade.addi(throughD.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3), NDArrayIndex.all(), NDArrayIndex.all()).mul(imageWeight));
        // the decoder's inputs must be its own again before its backprop (the code discriminator ran in between)
        Backprop.forward(n.decoder, CaeNets.decoderInput(z, onehot));
        Pair<Gradient, INDArray> dec = Backprop.backward(n.decoder, dMade);
        Backprop.update(n.decoder, dec.getFirst(), iteration, epoch, b);
        INDArray dz = dec.getSecond().reshape(b, n.latent + n.labels).get(NDArrayIndex.all(), NDArrayIndex.interval(0, n.latent)).dup();
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
        int b = (int) real.size(0);
        INDArray lr = forward(d, real);
        double loss = Transforms.relu(lr.rsub(1)).meanNumber().doubleValue();
        Gradient gr = Backprop.backward(d, lr.rsub(1).gt(0).castTo(DataType.FLOAT).muli(-1.0 / b).reshape(outShape(d, b))).getFirst();
        INDArray sum = gr.gradient().dup();
        INDArray lf = forward(d, fake);
        loss += Transforms.relu(lf.add(1)).meanNumber().doubleValue();
        Gradient gf = Backprop.backward(d, lf.add(1).gt(0).castTo(DataType.FLOAT).muli(1.0 / b).reshape(outShape(d, b))).getFirst();
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
