package konomi.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

class InputConvolutionTest {
    private static MultiLayerNetwork net(CNN2DFormat layout, int k, int stride, ConvolutionMode mode, boolean bias) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(1e-2)).weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(k, k).stride(stride, stride).nOut(8).convolutionMode(mode).hasBias(bias)
                        .activation(Activation.IDENTITY).dataFormat(layout).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).dataFormat(layout).build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3).build())
                .setInputType(InputType.convolutional(21, 26, 3, layout)).build());
        net.init();
        return net;
    }

    /**
     * DL4J's oneDNN helper on the first layer, as the launcher has it (unit tests lack the launcher's class that lets
     * DL4J find it, so it is set here directly): conv2d_bp in oneDNN is then the reference.
     */
    private static void oneDnn(MultiLayerNetwork net) throws ReflectiveOperationException {
        java.lang.reflect.Field helper = org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class.getDeclaredField("helper");
        helper.setAccessible(true);
        helper.set(net.getLayer(0), new org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper(DataType.FLOAT));
    }

    /**
     * The same weight and bias gradients as DL4J's own path (its im2col, or oneDNN's conv2d_bp as in the launcher), and
     * the same training, without the input gradient.
     */
    @ParameterizedTest
    @CsvSource({"NHWC, 5, 1, Same, true, false", "NCHW, 5, 1, Same, true, false", "NHWC, 3, 2, Truncate, false, false",
            "NCHW, 5, 2, Same, false, false", "NHWC, 4, 3, Same, true, false", "NCHW, 3, 1, Truncate, true, false",
            "NHWC, 5, 1, Same, true, true", "NCHW, 5, 2, Same, false, true", "NHWC, 3, 2, Truncate, true, true"})
    void sameGradientsWithoutTheInputGradient(CNN2DFormat layout, int k, int stride, ConvolutionMode mode, boolean bias, boolean oneDnn)
            throws ReflectiveOperationException {
        MultiLayerNetwork a = net(layout, k, stride, mode, bias);
        MultiLayerNetwork b = net(layout, k, stride, mode, bias);
        if (oneDnn) {
            oneDnn(a);
            oneDnn(b);
        }
        assertEquals(1, InputConvolution.install(b), "installed on the first convolution");
        assertEquals(1, InputConvolution.install(b), "once");
        assertTrue(InputConvolution.installedOn(b.getLayer(0)));
        assertFalse(InputConvolution.installedOn(a.getLayer(0)));

        Nd4j.getRandom().setSeed(1);
        INDArray nchw = Nd4j.rand(DataType.FLOAT, 7, 3, 21, 26).subi(0.5);
        INDArray x = layout == CNN2DFormat.NHWC ? Tensors.channelsLast(nchw) : nchw;
        INDArray y = Nd4j.zeros(DataType.FLOAT, 7, 3);
        for (int i = 0; i < 7; i++) {
            y.putScalar(i, i % 3, 1f);
        }
        for (MultiLayerNetwork m : new MultiLayerNetwork[] {a, b}) {
            m.setInput(x);
            m.setLabels(y);
            m.computeGradientAndScore();
        }
        assertEquals(a.score(), b.score(), 1e-6);
        INDArray ga = a.gradient().gradient();
        INDArray gb = b.gradient().gradient();
        assertTrue(ga.norm2Number().doubleValue() > 0);
        assertClose(ga, gb, 1e-4, "all gradients");
        INDArray firstA = a.getLayer(0).getGradientsViewArray();
        assertTrue(firstA.norm2Number().doubleValue() > 0, "the first layer has a gradient");
        assertClose(firstA, b.getLayer(0).getGradientsViewArray(), 1e-4, "first layer's gradients");

        for (int step = 0; step < 5; step++) {
            a.fit(new DataSet(x, y));
            b.fit(new DataSet(x, y));
        }
        assertClose(a.params(), b.params(), 1e-4, "parameters after five Adam steps");
    }

    /** In a graph (the residual network), on the stem that the input feeds: the same gradients. */
    @org.junit.jupiter.api.Test
    void aGraphsStemGetsIt() {
        ModelMeta meta = new ModelMeta("classification", java.util.List.of("a", "b", "c"), 32, ModelMeta.RGB01, null, null);
        var lr = new org.nd4j.linalg.schedule.FixedSchedule(0.01);
        ComputationGraph a = Nets.residualNet(meta, 7, lr, 1e-4, CNN2DFormat.NCHW, false);
        ComputationGraph b = Nets.residualNet(meta, 7, lr, 1e-4, CNN2DFormat.NCHW, false);
        b.setParams(a.params().dup());
        assertEquals(1, InputConvolution.install(b));
        assertTrue(InputConvolution.installedOn(b.getLayer("stem")));
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32);
        INDArray y = Nd4j.create(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}});
        for (ComputationGraph m : new ComputationGraph[] {a, b}) {
            m.setInputs(x);
            m.setLabels(y);
            Nd4j.getRandom().setSeed(9); // the same dropout masks
            m.computeGradientAndScore();
        }
        assertEquals(a.score(), b.score(), 1e-5);
        assertClose(a.gradient().gradient(), b.gradient().gradient(), 1e-4, "all gradients");
        assertClose(a.getLayer("stem").getGradientsViewArray(), b.getLayer("stem").getGradientsViewArray(), 1e-4, "the stem's gradients");
    }

    @ParameterizedTest
    @CsvSource({"NHWC", "NCHW"})
    void theInputGradientIsNotComputed(CNN2DFormat layout) {
        MultiLayerNetwork b = net(layout, 3, 1, ConvolutionMode.Same, true);
        InputConvolution.install(b);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 21, 26);
        b.initGradientsView();
        var none = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
        var layer = b.getLayer(0);
        layer.setInput(layout == CNN2DFormat.NHWC ? Tensors.channelsLast(x) : x, none);
        INDArray out = layer.activate(true, none);
        var pair = layer.backpropGradient(Nd4j.ones(DataType.FLOAT, out.shape()), none);
        assertTrue(pair.getFirst().getGradientFor("W").norm2Number().doubleValue() > 0, "a weight gradient");
        assertNull(pair.getSecond());
    }

    private static void assertClose(INDArray expected, INDArray actual, double relative, String what) {
        double scale = Math.max(1e-6, expected.norm2Number().doubleValue());
        double diff = expected.sub(actual).norm2Number().doubleValue();
        assertTrue(diff <= relative * scale, what + " differ: |a-b| = " + diff + ", |a| = " + scale);
    }
}
