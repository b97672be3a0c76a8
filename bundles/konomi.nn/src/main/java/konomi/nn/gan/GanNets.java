package konomi.nn.gan;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.learning.config.Adam;

/**
 * DCGAN-shaped networks for 64x64 RGB faces in [-1, 1]. The generator maps a {@code [n, z, 1, 1]} latent to
 * {@code [n, 3, 64, 64]} through four stride-2 transposed convolutions (batch norm + ReLU, tanh at the end); the
 * discriminator mirrors it with stride-2 convolutions and leaky ReLU and ends in one logit per picture. Both have no
 * output layer: losses are computed by {@link GanStep} and fed back as external errors.
 */
public final class GanNets {
    /** Output side of the generator. */
    public static final int SIZE = 64;

    private GanNets() {
    }

    /**
     * The generator: widths 8w, 4w, 2w, w from 4x4 to 32x32, then RGB at 64x64. With z 128 and w 32 it has
     * about 1.1 M parameters (4.4 MB as floats), which keeps a model bundle under 5 MiB.
     */
    public static MultiLayerNetwork generator(int z, int width, double lr, double beta1, long seed) {
        NeuralNetConfiguration.ListBuilder b = base(lr, beta1, seed).list();
        int[] widths = {8 * width, 4 * width, 2 * width, width};
        b.layer(new Deconvolution2D.Builder(4, 4).stride(1, 1).convolutionMode(ConvolutionMode.Truncate)
                .nOut(widths[0]).hasBias(false).activation(Activation.IDENTITY).build());
        b.layer(new BatchNormalization.Builder().build());
        b.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        for (int i = 1; i < widths.length; i++) {
            b.layer(up(widths[i], false, Activation.IDENTITY));
            b.layer(new BatchNormalization.Builder().build());
            b.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        }
        b.layer(up(3, true, Activation.TANH));
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.convolutional(1, 1, z)).build());
        net.init();
        return net;
    }

    /**
     * The discriminator: widths w, 2w, 4w, 8w from 32x32 down to 4x4, then a 4x4 convolution to one logit.
     * {@code batchNorm} is the DCGAN baseline; with spectral normalisation there is none (SN-GAN).
     */
    public static MultiLayerNetwork discriminator(int width, boolean batchNorm, double lr, double beta1, long seed) {
        return discriminator(width, batchNorm, lr, beta1, seed, 3);
    }

    /** A discriminator of pictures with {@code channels} planes (3 colours, then any conditioning planes). */
    public static MultiLayerNetwork discriminator(int width, boolean batchNorm, double lr, double beta1, long seed, int channels) {
        NeuralNetConfiguration.ListBuilder b = base(lr, beta1, seed).list();
        int[] widths = {width, 2 * width, 4 * width, 8 * width};
        for (int i = 0; i < widths.length; i++) {
            b.layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).convolutionMode(ConvolutionMode.Truncate)
                    .nOut(widths[i]).hasBias(!batchNorm || i == 0).activation(Activation.IDENTITY).build());
            if (batchNorm && i > 0) {
                b.layer(new BatchNormalization.Builder().build());
            }
            b.layer(new ActivationLayer.Builder().activation(new ActivationLReLU(0.2)).build());
        }
        b.layer(new ConvolutionLayer.Builder(4, 4).stride(1, 1).convolutionMode(ConvolutionMode.Truncate)
                .nOut(1).activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.convolutional(SIZE, SIZE, channels)).build());
        net.init();
        return net;
    }

    /**
     * An encoder mirroring the discriminator (batch norm after the first convolution) that ends in a dense layer of
     * {@code latent} tanh units: pictures to codes in [-1, 1].
     */
    public static MultiLayerNetwork encoder(int width, int latent, double lr, double beta1, long seed) {
        NeuralNetConfiguration.ListBuilder b = base(lr, beta1, seed).list();
        int[] widths = {width, 2 * width, 4 * width, 8 * width};
        for (int i = 0; i < widths.length; i++) {
            b.layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).convolutionMode(ConvolutionMode.Truncate)
                    .nOut(widths[i]).hasBias(i == 0).activation(Activation.IDENTITY).build());
            if (i > 0) {
                b.layer(new BatchNormalization.Builder().build());
            }
            b.layer(new ActivationLayer.Builder().activation(new ActivationLReLU(0.2)).build());
        }
        b.layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(latent).activation(Activation.TANH).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.convolutional(SIZE, SIZE, 3)).build());
        net.init();
        return net;
    }

    /** A small discriminator of codes (three dense layers, then one logit), as in adversarial autoencoders. */
    public static MultiLayerNetwork codeDiscriminator(int latent, double lr, double beta1, long seed) {
        NeuralNetConfiguration.ListBuilder b = base(lr, beta1, seed).list();
        for (int w : new int[] {64, 32, 16}) {
            b.layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(w).activation(new ActivationLReLU(0.2)).build());
        }
        b.layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.feedForward(latent)).build());
        net.init();
        return net;
    }

    /** The latent width of a generator (its input channels). */
    public static int latent(MultiLayerNetwork generator) {
        return (int) generator.layerInputSize(0);
    }

    private static Deconvolution2D up(int out, boolean bias, Activation activation) {
        return new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1).convolutionMode(ConvolutionMode.Truncate)
                .nOut(out).hasBias(bias).activation(activation).build();
    }

    // Adam with a low beta1 (0.5 in DCGAN, 0 with hinge loss) and N(0, 0.02) weights, as the GAN papers do
    private static NeuralNetConfiguration.Builder base(double lr, double beta1, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(lr, beta1, 0.999, 1e-8))
                .weightInit(new NormalDistribution(0, 0.02))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cacheMode(CacheMode.DEVICE);
    }
}
