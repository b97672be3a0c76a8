package konomi.nn;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Konomi's face network: a strided 5x5 stem (32), then three stages of 2x2 max pool + conv3x3 + batch
 * norm + ReLU, widths 64-128-256 with a second conv in the 128 stage, global average pooling, dropout, and a
 * softmax (classification) or linear (regression) output. About 0.56 M parameters (~2.2 MB as a model zip)
 * and ~60 M multiply-adds per 96 px face: small enough to ship in a bundle, fast enough to train on a CPU.
 */
public final class Nets {
    private Nets() {
    }

    public static MultiLayerNetwork faceNet(ModelMeta meta, long seed, ISchedule learningRate, double weightDecay) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .l2(weightDecay)
                .convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        // stem: a strided 5x5 conv halves the resolution at once, where a CPU spends most of its time
        b.layer(new ConvolutionLayer.Builder(5, 5).stride(2, 2).nOut(32).activation(Activation.IDENTITY).hasBias(false).build());
        b.layer(new BatchNormalization.Builder().build());
        b.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        int[] widths = {64, 128, 256};
        for (int i = 0; i < widths.length; i++) {
            b.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
            convBlock(b, widths[i]);
            if (i == 1) {
                convBlock(b, widths[i]);
            }
        }
        b.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
        b.layer(new DropoutLayer.Builder(0.7).build()); // DL4J's value is the probability of keeping
        if (meta.classification()) {
            b.layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(meta.labels().size()).build());
        } else {
            b.layer(new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build());
        }
        MultiLayerConfiguration conf = b.setInputType(InputType.convolutional(meta.size(), meta.size(), 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * Transfer learning: a trained network's layers with a new output layer for this task (the old one is
     * dropped), fine-tuned with the given schedule; {@code freeze} keeps every layer but the output fixed.
     */
    public static MultiLayerNetwork fromBase(MultiLayerNetwork base, ModelMeta meta, long seed, ISchedule learningRate,
                                             double weightDecay, boolean freeze) {
        int last = base.getnLayers() - 1;
        long features = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) base.getLayerWiseConfigurations().getConf(last).getLayer()).getNIn();
        FineTuneConfiguration ft = new FineTuneConfiguration.Builder().seed(seed).updater(new Adam(learningRate)).l2(weightDecay).build();
        TransferLearning.Builder b = new TransferLearning.Builder(base).fineTuneConfiguration(ft).removeOutputLayer();
        if (meta.classification()) {
            b.addLayer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(features).nOut(meta.labels().size())
                    .weightInit(WeightInit.XAVIER).build());
        } else {
            b.addLayer(new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nIn(features).nOut(1)
                    .weightInit(WeightInit.XAVIER).build());
        }
        if (freeze) {
            b.setFeatureExtractor(last - 1);
        }
        return b.build();
    }

    private static void convBlock(NeuralNetConfiguration.ListBuilder b, int width) {
        b.layer(new ConvolutionLayer.Builder(3, 3).nOut(width).activation(Activation.IDENTITY).hasBias(false).build());
        b.layer(new BatchNormalization.Builder().build());
        b.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
    }
}
