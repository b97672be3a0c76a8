package konomi.nn.detect;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The detector networks, shaped by measurement on 2 CPU cores (384 px, batch 16, oneDNN): a strided 5x5 stem (16)
 * and three stages of 2x2 max pool + 3x3 conv (32, 64 twice, 128) down to stride 16, then two 3x3 conv blocks (128)
 * that widen the view to about 155 px; then one of two heads: a 1x1 conv giving per cell and anchor x, y, w, h,
 * objectness and the face class, read by DL4J's {@link Yolo2OutputLayer} (YOLOv2 loss), or a 1x1 conv giving the
 * centre heatmap, offset and log size read by {@link CentreLoss}. The backbone is the same, so either head can start
 * from the other's trained backbone ({@link #copyLayers}). Batch norm only from stride 8 on: oneDNN's batch norm
 * on plain NCHW arrays is slow, and on the two large early maps it cost more than all convolutions (training 1.3 vs
 * 5.8 images/s for the face network's widths with and without it there); dilated convolutions fall off oneDNN's fast
 * path (17.8 vs 9.6 images/s), so the head widens its view with plain 3x3 convolutions.
 */
public final class DetectorNets {
    private DetectorNets() {
    }

    /** The network a detector description asks for: a YOLOv2 or a centre head on the same backbone. */
    public static MultiLayerNetwork create(DetectorMeta meta, long seed, ISchedule learningRate, double weightDecay) {
        return meta.centred() ? centre(meta, seed, learningRate, weightDecay) : yolo(meta, seed, learningRate, weightDecay);
    }

    public static MultiLayerNetwork yolo(DetectorMeta meta, long seed, ISchedule learningRate, double weightDecay) {
        NeuralNetConfiguration.ListBuilder b = backbone(seed, learningRate, weightDecay);
        int anchors = meta.anchors().length;
        b.layer(new ConvolutionLayer.Builder(1, 1).nOut(anchors * 6L).activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER)
                .dataFormat(CNN2DFormat.NCHW).build());
        b.layer(new Yolo2OutputLayer.Builder().boundingBoxPriors(YoloDecoder.priors(meta)).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.convolutional(meta.size(), meta.size(), 3, CNN2DFormat.NCHW)).build());
        net.init();
        return net;
    }

    /**
     * The backbone with the centre head: a 1x1 conv to the heatmap logit, offset and log size, read by a
     * {@code CnnLossLayer} with {@link CentreLoss}. The heatmap's bias starts at the logit of 0.1 (CenterNet's
     * prior) so that the many empty cells do not swamp the first steps.
     */
    public static MultiLayerNetwork centre(DetectorMeta meta, long seed, ISchedule learningRate, double weightDecay) {
        NeuralNetConfiguration.ListBuilder b = backbone(seed, learningRate, weightDecay);
        b.layer(new ConvolutionLayer.Builder(1, 1).nOut(CentreLoss.CHANNELS).activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER)
                .dataFormat(CNN2DFormat.NCHW).build());
        b.layer(new CnnLossLayer.Builder(new CentreLoss()).activation(Activation.IDENTITY).format(CNN2DFormat.NCHW).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.convolutional(meta.size(), meta.size(), 3, CNN2DFormat.NCHW)).build());
        net.init();
        net.getLayer(net.getnLayers() - 2).getParam("b").putScalar(0, Math.log(0.1 / 0.9));
        return net;
    }

    /**
     * Copies every layer of {@code from} into {@code to} while their parameters have the same shapes, and stops at the
     * first that differs (a detector of the other head: its backbone carries over, its head starts fresh).
     *
     * @return the number of layers copied
     */
    public static int copyLayers(MultiLayerNetwork from, MultiLayerNetwork to) {
        int n = Math.min(from.getnLayers(), to.getnLayers());
        for (int i = 0; i < n; i++) {
            var a = from.getLayer(i).paramTable();
            var b = to.getLayer(i).paramTable();
            if (!a.keySet().equals(b.keySet()) || a.entrySet().stream().anyMatch(e -> !java.util.Arrays.equals(e.getValue().shape(), b.get(e.getKey()).shape()))) {
                return i;
            }
            a.forEach((k, v) -> b.get(k).assign(v));
        }
        return n;
    }

    /**
     * Loads a detector zip. DL4J (on the framework's class path) finds {@link CentreLoss} named in the zip's
     * configuration through the thread's context class loader, which in OSGi must be this bundle's. ND4J must be
     * initialised before: it finds its native backend through the same loader, which this bundle's cannot see.
     */
    public static MultiLayerNetwork restore(java.io.File zip, boolean updater) throws java.io.IOException {
        return konomi.nn.Nets.restore(zip, updater);
    }

    /** Turns the network's output into faces, for the head a description names. */
    public static Decoder decoder(DetectorMeta meta) {
        if (meta.centred()) {
            return (out, example, placement, w, h, threshold, nms) -> CentreDecoder.faces(out, example, meta, placement, w, h, threshold, nms);
        }
        org.nd4j.linalg.api.ndarray.INDArray priors = YoloDecoder.priors(meta);
        return (out, example, placement, w, h, threshold, nms) -> YoloDecoder.faces(out, example, meta, priors, placement, w, h, threshold, nms);
    }

    /** Faces of one example of a batch's output, in picture pixels, most confident first. */
    @FunctionalInterface
    public interface Decoder {
        java.util.List<konomi.api.Face> faces(org.nd4j.linalg.api.ndarray.INDArray output, int example, Placement placement, int width, int height,
                                              double threshold, double nms);
    }

    /** The layers every head shares, to stride 16. */
    private static NeuralNetConfiguration.ListBuilder backbone(long seed, ISchedule learningRate, double weightDecay) {
        CNN2DFormat nchw = CNN2DFormat.NCHW; // Yolo2OutputLayer reads NCHW only
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .l2(weightDecay)
                .convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cacheMode(CacheMode.DEVICE)
                .list();
        b.layer(new ConvolutionLayer.Builder(5, 5).stride(2, 2).nOut(16).activation(Activation.RELU).dataFormat(nchw).build());
        int[] widths = {32, 64, 128};
        for (int i = 0; i < widths.length; i++) {
            b.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).dataFormat(nchw).build());
            convBlock(b, widths[i], i > 0);
            if (i == 1) {
                convBlock(b, widths[i], true);
            }
        }
        convBlock(b, 128, true);
        convBlock(b, 128, true);
        return b;
    }

    /** 3x3 conv and ReLU, with batch norm between them when {@code norm}. */
    private static void convBlock(NeuralNetConfiguration.ListBuilder b, int width, boolean norm) {
        if (!norm) {
            b.layer(new ConvolutionLayer.Builder(3, 3).nOut(width).activation(Activation.RELU).dataFormat(CNN2DFormat.NCHW).build());
            return;
        }
        b.layer(new ConvolutionLayer.Builder(3, 3).nOut(width).activation(Activation.IDENTITY).hasBias(false).dataFormat(CNN2DFormat.NCHW).build());
        b.layer(new BatchNormalization.Builder().build());
        b.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
    }
}
