package konomi.bench;

import java.util.List;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The four seed networks of ../shared/bench/NETS.md (the same as torch_ref.py), layer for layer. DL4J's
 * dropout value is the probability of keeping, so PyTorch's p=0.5 is 0.5 here too.
 */
final class SeedNets {
    /** A network with its input shape (C, H, W), batch size and loss kind (bce, ce40, mse). */
    record Net(String name, int c, int h, int w, int batch, String loss, MultiLayerNetwork net) {
    }

    static final List<String> NAMES = List.of("seed002_binary", "seed004_idol40", "seed000_cnn9", "seed000_alexnet");

    private SeedNets() {
    }

    static Net build(String name) {
        return switch (name) {
            case "seed002_binary" -> seed002();
            case "seed004_idol40" -> seed004();
            case "seed000_cnn9" -> cnn9();
            case "seed000_alexnet" -> alexnet();
            default -> throw new IllegalArgumentException("unknown net " + name + "; known: " + NAMES);
        };
    }

    private static NeuralNetConfiguration.ListBuilder base() {
        return new NeuralNetConfiguration.Builder().seed(0).updater(new Adam(1e-3)).weightInit(WeightInit.RELU).list();
    }

    /**
     * Layers run channels-last: oneDNN's NCHW max-pool backward falls back to its reference kernel and every
     * layer pays layout reorders (measured with DNNL_VERBOSE: about 60% of a cnn9 training step). NHWC took
     * cnn9 training from 81 to 96 images/s and its inference from 241 to 834. {@code -Dkonomi.bench.nchw=true}
     * measures the NCHW layers.
     */
    static final org.deeplearning4j.nn.conf.CNN2DFormat FORMAT = Boolean.getBoolean("konomi.bench.nchw")
            ? org.deeplearning4j.nn.conf.CNN2DFormat.NCHW : org.deeplearning4j.nn.conf.CNN2DFormat.NHWC;

    private static ConvolutionLayer conv(int k, int out, ConvolutionMode mode) {
        return new ConvolutionLayer.Builder(k, k).nOut(out).convolutionMode(mode).activation(Activation.RELU).dataFormat(FORMAT).build();
    }

    private static SubsamplingLayer pool(int k, int s, int pad) {
        return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(k, k).stride(s, s).padding(pad, pad)
                .convolutionMode(ConvolutionMode.Truncate).dataFormat(FORMAT).build();
    }

    private static DenseLayer dense(int n) {
        return new DenseLayer.Builder().nOut(n).activation(Activation.RELU).build();
    }

    private static Net done(String name, NeuralNetConfiguration.ListBuilder b, int c, int h, int w, int batch, String loss) {
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.convolutional(h, w, c, FORMAT)).build());
        net.init();
        return new Net(name, c, h, w, batch, loss, net);
    }

    private static Net seed002() {
        NeuralNetConfiguration.ListBuilder b = base()
                .layer(conv(3, 24, ConvolutionMode.Same))
                .layer(conv(3, 48, ConvolutionMode.Truncate)).layer(pool(2, 2, 0)).layer(new DropoutLayer(0.5))
                .layer(conv(3, 96, ConvolutionMode.Truncate)).layer(pool(2, 2, 0)).layer(new DropoutLayer(0.5))
                .layer(dense(128)).layer(new DropoutLayer(0.5))
                .layer(new OutputLayer.Builder(LossFunction.XENT).activation(Activation.SIGMOID).nOut(1).build());
        return done("seed002_binary", b, 3, 100, 100, 128, "bce");
    }

    private static Net seed004() {
        NeuralNetConfiguration.ListBuilder b = base();
        for (int width : new int[] {32, 48, 72, 108}) {
            b.layer(conv(3, width, ConvolutionMode.Same)).layer(pool(3, 2, 1));
        }
        b.layer(dense(1024)).layer(dense(256))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(40).build());
        return done("seed004_idol40", b, 3, 96, 96, 128, "ce40");
    }

    private static Net cnn9() {
        NeuralNetConfiguration.ListBuilder b = base();
        for (int width : new int[] {32, 32, 64}) {
            b.layer(conv(5, width, ConvolutionMode.Same)).layer(pool(2, 2, 0));
        }
        b.layer(dense(128)).layer(new DropoutLayer(0.5))
                .layer(new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build());
        return done("seed000_cnn9", b, 3, 96, 144, 100, "mse");
    }

    private static Net alexnet() {
        NeuralNetConfiguration.ListBuilder b = base()
                .layer(new ConvolutionLayer.Builder(11, 11).stride(4, 4).nOut(96).convolutionMode(ConvolutionMode.Truncate)
                        .activation(Activation.RELU).build())
                .layer(pool(3, 2, 0))
                .layer(conv(5, 256, ConvolutionMode.Same)).layer(pool(3, 2, 0))
                .layer(conv(3, 384, ConvolutionMode.Same)).layer(conv(3, 384, ConvolutionMode.Same)).layer(conv(3, 256, ConvolutionMode.Same))
                .layer(pool(3, 2, 0))
                .layer(dense(4096)).layer(new DropoutLayer(0.5)).layer(dense(4096)).layer(new DropoutLayer(0.5))
                .layer(new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build());
        return done("seed000_alexnet", b, 3, 227, 227, 32, "mse");
    }
}
