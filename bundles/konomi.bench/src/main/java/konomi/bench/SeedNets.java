package konomi.bench;

import java.util.List;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The four seed networks of ../shared/bench/NETS.md (the same as torch_ref.py), layer for layer. DL4J's
 * dropout value is the probability of keeping, so PyTorch's p=0.5 is 0.5 here too.
 */
final class SeedNets {
    /** A network with its input shape (C, H, W), batch size and loss kind (bce, ce40, mse). */
    record Net(String name, int c, int h, int w, int batch, String loss, org.deeplearning4j.nn.api.Model model) {
        /** The seed nets and the face network are layer networks. */
        MultiLayerNetwork net() {
            return (MultiLayerNetwork) model;
        }
    }

    static final List<String> NAMES = List.of("seed002_binary", "seed004_idol40", "seed000_cnn9", "seed000_alexnet", "konomi_face96", "konomi_inverted96");

    private final Variant v;

    private SeedNets(Variant v) {
        this.v = v;
    }

    static Net build(String name, Variant v) {
        SeedNets s = new SeedNets(v);
        return switch (name) {
            case "seed002_binary" -> s.seed002();
            case "seed004_idol40" -> s.seed004();
            case "seed000_cnn9" -> s.cnn9();
            case "seed000_alexnet" -> s.alexnet();
            case "konomi_face96" -> s.face96();
            case "konomi_inverted96" -> s.inverted96();
            default -> throw new IllegalArgumentException("unknown net " + name + "; known: " + NAMES);
        };
    }

    private NeuralNetConfiguration.ListBuilder base() {
        return new NeuralNetConfiguration.Builder().seed(0).updater(new Adam(1e-3)).weightInit(WeightInit.RELU)
                .dataType(v.dtype()).trainingWorkspaceMode(v.workspace()).inferenceWorkspaceMode(v.workspace()).cacheMode(v.cache()).list();
    }

    /** Conv + ReLU, the ReLU fused into the conv layer or as its own layer (same network, same numbers). */
    private NeuralNetConfiguration.ListBuilder conv(NeuralNetConfiguration.ListBuilder b, ConvolutionLayer.Builder conv) {
        if (v.relu() == Relu.FUSED) {
            return b.layer(conv.activation(Activation.RELU).dataFormat(v.layout()).build());
        }
        return b.layer(conv.activation(Activation.IDENTITY).dataFormat(v.layout()).build()).layer(relu());
    }

    private NeuralNetConfiguration.ListBuilder conv(NeuralNetConfiguration.ListBuilder b, int k, int out, ConvolutionMode mode) {
        return conv(b, new ConvolutionLayer.Builder(k, k).nOut(out).convolutionMode(mode));
    }

    /**
     * Conv + ReLU + max pool. With {@link Relu#POOLED} the ReLU comes after the pool: ReLU is monotonic, so
     * max(relu(x)) = relu(max(x)) and the gradients are the same too, but the ReLU then reads and writes a quarter
     * of the values (the largest tensors of these nets are the first conv's outputs).
     */
    private NeuralNetConfiguration.ListBuilder convPool(NeuralNetConfiguration.ListBuilder b, ConvolutionLayer.Builder conv, SubsamplingLayer pool) {
        if (v.relu() != Relu.POOLED) {
            return conv(b, conv).layer(pool);
        }
        return b.layer(conv.activation(Activation.IDENTITY).dataFormat(v.layout()).build()).layer(pool).layer(relu());
    }

    private NeuralNetConfiguration.ListBuilder convPool(NeuralNetConfiguration.ListBuilder b, int k, int out, ConvolutionMode mode, SubsamplingLayer pool) {
        return convPool(b, new ConvolutionLayer.Builder(k, k).nOut(out).convolutionMode(mode), pool);
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }

    /** Where a conv's ReLU goes: its own layer after the conv, the conv's activation, or its own layer after the max pool. */
    enum Relu {
        LAYER, FUSED, POOLED
    }

    /**
     * How the networks are built, for measuring what each DL4J setting changes. The defaults are the fastest
     * found: channels-last layers (oneDNN's NCHW max-pool backward runs its reference kernel and every layer
     * pays layout reorders), ReLU as its own layer (ConvolutionLayer applies its activation's derivative to
     * NHWC arrays viewed as NCHW, strided and slow, and hands oneDNN a gradient it must reorder: a third of
     * a cnn9 training step in a JFR profile) and after the max pool where one follows (the same function, on a
     * quarter of the values), workspaces on, conv pre-activations cached for backprop
     * (ConvolutionLayer otherwise runs its forward convolution again in backprop), float, and in training no
     * gradient for the input pictures ({@link konomi.nn.InputConvolution}; PyTorch does not compute it either). bench:nets' option
     * defaults are these.
     */
    record Variant(CNN2DFormat layout, Relu relu, WorkspaceMode workspace, CacheMode cache, DataType dtype, boolean inputGradient) {
        @Override
        public String toString() {
            return "layout=" + layout + " relu=" + relu.name().toLowerCase(java.util.Locale.ROOT) + " workspace=" + workspace + " cache=" + cache
                    + " dtype=" + dtype + " input-grad=" + (inputGradient ? "computed" : "none");
        }
    }

    private SubsamplingLayer pool(int k, int s, int pad) {
        return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(k, k).stride(s, s).padding(pad, pad)
                .convolutionMode(ConvolutionMode.Truncate).dataFormat(v.layout()).build();
    }

    private static DenseLayer dense(int n) {
        return new DenseLayer.Builder().nOut(n).activation(Activation.RELU).build();
    }

    private Net done(String name, NeuralNetConfiguration.ListBuilder b, int c, int h, int w, int batch, String loss) {
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.convolutional(h, w, c, v.layout())).build());
        net.init();
        return new Net(name, c, h, w, batch, loss, net);
    }

    private Net seed002() {
        NeuralNetConfiguration.ListBuilder b = base();
        conv(b, 3, 24, ConvolutionMode.Same);
        convPool(b, 3, 48, ConvolutionMode.Truncate, pool(2, 2, 0)).layer(new DropoutLayer(0.5));
        convPool(b, 3, 96, ConvolutionMode.Truncate, pool(2, 2, 0)).layer(new DropoutLayer(0.5))
                .layer(dense(128)).layer(new DropoutLayer(0.5))
                .layer(new OutputLayer.Builder(LossFunction.XENT).activation(Activation.SIGMOID).nOut(1).build());
        return done("seed002_binary", b, 3, 100, 100, 128, "bce");
    }

    private Net seed004() {
        NeuralNetConfiguration.ListBuilder b = base();
        for (int width : new int[] {32, 48, 72, 108}) {
            convPool(b, 3, width, ConvolutionMode.Same, pool(3, 2, 1));
        }
        b.layer(dense(1024)).layer(dense(256))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(40).build());
        return done("seed004_idol40", b, 3, 96, 96, 128, "ce40");
    }

    private Net cnn9() {
        NeuralNetConfiguration.ListBuilder b = base();
        for (int width : new int[] {32, 32, 64}) {
            convPool(b, 5, width, ConvolutionMode.Same, pool(2, 2, 0));
        }
        b.layer(dense(128)).layer(new DropoutLayer(0.5))
                .layer(new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build());
        return done("seed000_cnn9", b, 3, 96, 144, 100, "mse");
    }

    /**
     * Konomi's own face network as the trainer builds it (20 classes, 96 px, batch 64), in the chosen layout;
     * its convs already keep the ReLU as a separate layer (after batch norm), so --relu does not apply.
     */
    private Net face96() {
        List<String> labels = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "c" + i).toList();
        konomi.nn.ModelMeta meta = new konomi.nn.ModelMeta("classification", labels, 96, konomi.nn.ModelMeta.RGB01, null);
        MultiLayerNetwork net = konomi.nn.Nets.faceNet(meta, 0, new org.nd4j.linalg.schedule.FixedSchedule(1e-3), 1e-4, v.layout());
        return new Net("konomi_face96", 3, 96, 96, 64, "ce20", net);
    }

    /** The trainer's inverted residual network ({@code --net inverted}), as face96. */
    private Net inverted96() {
        List<String> labels = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "c" + i).toList();
        konomi.nn.ModelMeta meta = new konomi.nn.ModelMeta("classification", labels, 96, konomi.nn.ModelMeta.RGB01, null);
        return new Net("konomi_inverted96", 3, 96, 96, 64, "ce20",
                konomi.nn.Nets.invertedResidualNet(meta, 0, new org.nd4j.linalg.schedule.FixedSchedule(1e-3), 1e-4, v.layout()));
    }

    private Net alexnet() {
        NeuralNetConfiguration.ListBuilder b = base();
        convPool(b, new ConvolutionLayer.Builder(11, 11).stride(4, 4).nOut(96).convolutionMode(ConvolutionMode.Truncate), pool(3, 2, 0));
        convPool(b, 5, 256, ConvolutionMode.Same, pool(3, 2, 0));
        conv(b, 3, 384, ConvolutionMode.Same);
        conv(b, 3, 384, ConvolutionMode.Same);
        convPool(b, 3, 256, ConvolutionMode.Same, pool(3, 2, 0))
                .layer(dense(4096)).layer(new DropoutLayer(0.5)).layer(dense(4096)).layer(new DropoutLayer(0.5))
                .layer(new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build());
        return done("seed000_alexnet", b, 3, 227, 227, 32, "mse");
    }
}
