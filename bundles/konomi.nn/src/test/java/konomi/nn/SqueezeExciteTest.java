package konomi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

class SqueezeExciteTest {
    /** conv (tanh) -> squeeze-excitation -> global average -> softmax: the layer between two that have gradients. */
    private static ComputationGraph net(CNN2DFormat layout) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new NoOp())
                .weightInit(WeightInit.XAVIER).convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(3, 4, 2, layout))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.TANH).dataFormat(layout).build(), "in")
                .addLayer("se", new SqueezeExcite.Builder().reduction(2).build(), "conv")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "se")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build());
        g.init();
        // biases away from zero, so that the ReLU's and the gate's slopes both matter
        g.getLayer("se").getParam("b1").assign(Nd4j.rand(DataType.DOUBLE, 1, 4).subi(0.3));
        g.getLayer("se").getParam("b2").assign(Nd4j.rand(DataType.DOUBLE, 1, 8).subi(0.5));
        return g;
    }

    private static INDArray input(CNN2DFormat layout) {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 2, 3, 4).subi(0.5).muli(4);
        return layout == CNN2DFormat.NHWC ? x.permute(0, 2, 3, 1).dup('c') : x;
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void itsGradientsAreTheNumericalOnes(CNN2DFormat layout) {
        ComputationGraph g = net(layout);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, i % 3, 1);
        }
        DataType before = Nd4j.dataType(), floats = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE); // the check refuses to run otherwise
        try {
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {input(layout)})
                    .labels(new INDArray[] {labels}).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)));
        } finally {
            Nd4j.setDefaultDataTypes(before, floats);
        }
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void itScalesEachChannelByItsGate(CNN2DFormat layout) {
        ComputationGraph g = net(layout);
        INDArray x = input(layout);
        INDArray conv = g.feedForward(x, false).get("conv"), out = g.feedForward(x, false).get("se");
        INDArray nchw = layout == CNN2DFormat.NHWC ? conv.permute(0, 3, 1, 2) : conv;
        var p = g.getLayer("se").paramTable();
        INDArray s = nchw.mean(2, 3);
        INDArray z = Transforms.relu(s.mmul(p.get("W1")).addRowVector(p.get("b1")));
        INDArray gate = Transforms.sigmoid(z.mmul(p.get("W2")).addRowVector(p.get("b2")));
        INDArray expected = nchw.dup();
        for (int n = 0; n < 4; n++) {
            for (int c = 0; c < 8; c++) {
                expected.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n), org.nd4j.linalg.indexing.NDArrayIndex.point(c)).muli(gate.getDouble(n, c));
            }
        }
        INDArray actual = layout == CNN2DFormat.NHWC ? out.permute(0, 3, 1, 2) : out;
        assertArrayEquals(expected.dup('c').data().asDouble(), actual.dup('c').data().asDouble(), 1e-12);
        assertEquals(List.of("W1", "b1", "W2", "b2"), List.copyOf(p.keySet()));
        assertEquals(8 * 4 + 4 + 4 * 8 + 8, g.getLayer("se").numParams());
        assertEquals(List.of("W1", "b1", "W2", "b2"), g.getLayer("se").conf().variables());
        double w = p.get("W2").getDouble(1, 2);
        g.getLayer("se").setParams(g.getLayer("se").params().mul(2)); // as transfer learning copies weights
        assertEquals(2 * w, g.getLayer("se").getParam("W2").getDouble(1, 2), 1e-12);
    }
}
