package konomi.nn.detect;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
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
 * The detector network, shaped by measurement on 2 CPU cores (384 px, batch 16, oneDNN): a strided 5x5 stem (16)
 * and three stages of 2x2 max pool + 3x3 conv (32, 64 twice, 128) down to stride 16, then two 3x3 conv blocks (128)
 * that widen the view to about 155 px, and a 1x1 conv giving per cell and anchor x, y, w, h, objectness and the face
 * class, read by DL4J's {@link Yolo2OutputLayer} (YOLOv2 loss). Batch norm only from stride 8 on: oneDNN's batch norm
 * on plain NCHW arrays is slow, and on the two large early maps it cost more than all convolutions (training 1.3 vs
 * 5.8 images/s for the face network's widths with and without it there); dilated convolutions fall off oneDNN's fast
 * path (17.8 vs 9.6 images/s), so the head widens its view with plain 3x3 convolutions.
 */
public final class DetectorNets {
    private DetectorNets() {
    }

    public static MultiLayerNetwork yolo(DetectorMeta meta, long seed, ISchedule learningRate, double weightDecay) {
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
        // the face network's layers, in its order, so that its weights can be copied in (see initFrom)
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
        int anchors = meta.anchors().length;
        b.layer(new ConvolutionLayer.Builder(1, 1).nOut(anchors * 6L).activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER)
                .dataFormat(nchw).build());
        b.layer(new Yolo2OutputLayer.Builder().boundingBoxPriors(YoloDecoder.priors(meta)).build());
        MultiLayerConfiguration conf = b.setInputType(InputType.convolutional(meta.size(), meta.size(), 3, nchw)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
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
