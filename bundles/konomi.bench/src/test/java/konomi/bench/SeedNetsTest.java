package konomi.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SeedNetsTest {
    private static SeedNets.Net build(String name, SeedNets.Relu relu) {
        // without workspaces: in one clean CI run (2026-12-02) AlexNet's gradient had no positive norm with them;
        // what is compared here is where the ReLU sits, not DL4J's memory reuse
        return SeedNets.build(name, new SeedNets.Variant(CNN2DFormat.NHWC, relu, WorkspaceMode.NONE, CacheMode.NONE, DataType.FLOAT, false));
    }

    /** The ReLU after the max pool is the same network: same parameters, outputs, loss and gradients. */
    @ParameterizedTest
    @ValueSource(strings = {"seed002_binary", "seed004_idol40", "seed000_cnn9", "seed000_alexnet"})
    void reluAfterThePoolIsTheSameNetwork(String name) {
        SeedNets.Net layer = build(name, SeedNets.Relu.LAYER);
        SeedNets.Net pooled = build(name, SeedNets.Relu.POOLED);
        MultiLayerNetwork a = layer.net();
        MultiLayerNetwork b = pooled.net();
        assertEquals(a.numParams(), b.numParams(), "same parameters");
        b.setParams(a.params().dup()); // (DL4J seeds each layer's initialisation by its index, so copy them)
        assertTrue(reluDirectlyAfterAPool(b), name + ": some ReLU follows its max pool");

        Nd4j.getRandom().setSeed(3);
        // a batch centred on 0, so that many pre-activations are negative and the ReLUs matter
        INDArray x = konomi.nn.Tensors.channelsLast(Nd4j.rand(DataType.FLOAT, 3, layer.c(), layer.h(), layer.w()).subi(0.5));
        INDArray y = Nd4j.rand(DataType.FLOAT, 3, a.getOutputLayer().getParam("b").length()).gt(0.5).castTo(DataType.FLOAT);
        y.putScalar(0, 0, 1); // never all zeros: AlexNet's single regression output starts at 0, where all-zero labels give no gradient
        assertClose(a.output(x, false), b.output(x, false), 1e-5, "outputs");

        a.setInput(x);
        a.setLabels(y);
        b.setInput(x);
        b.setLabels(y);
        Nd4j.getRandom().setSeed(11); // the same dropout masks
        a.computeGradientAndScore();
        Nd4j.getRandom().setSeed(11);
        b.computeGradientAndScore();
        assertEquals(a.score(), b.score(), 1e-5 * Math.max(1, Math.abs(a.score())), "loss");
        INDArray ga = a.gradient().gradient();
        assertTrue(ga.norm2Number().doubleValue() > 0, "a gradient flows: |gradient| = " + ga.norm2Number());
        assertClose(ga, b.gradient().gradient(), 1e-4, "gradients");
    }

    private static boolean reluDirectlyAfterAPool(MultiLayerNetwork net) {
        var confs = net.getLayerWiseConfigurations().getConfs();
        for (int i = 1; i < confs.size(); i++) {
            if (confs.get(i).getLayer() instanceof ActivationLayer && confs.get(i - 1).getLayer() instanceof SubsamplingLayer) {
                return true;
            }
        }
        return false;
    }

    private static void assertClose(INDArray expected, INDArray actual, double relative, String what) {
        double scale = Math.max(1e-6, expected.norm2Number().doubleValue());
        double diff = expected.sub(actual).norm2Number().doubleValue();
        assertTrue(diff <= relative * scale, what + " differ: |a-b| = " + diff + ", |a| = " + scale);
    }
}
