package konomi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;


/** Folding batch norm into the convolutions keeps the network's function, and its training-mode pass is that function. */
class FoldedNetTest {
    @Test
    void foldedNetworkComputesWhatTheOriginalDoesAtInference() {
        for (CNN2DFormat layout : CNN2DFormat.values()) {
            ModelMeta meta = new ModelMeta("classification", List.of("a", "b", "c"), 32, ModelMeta.RGB01, null);
            MultiLayerNetwork net = Nets.faceNet(meta, 3, new FixedSchedule(1e-3), 0, layout);
            // learnt-looking batch-norm statistics and scales, not the initial 0/1
            Nd4j.getRandom().setSeed(5);
            for (int i = 0; i < net.getnLayers(); i++) {
                if (net.getLayerWiseConfigurations().getConf(i).getLayer() instanceof BatchNormalization) {
                    net.getLayer(i).paramTable().forEach((k, v) -> v.assign(k.equals("log10stdev") || k.equals("var")
                            ? Nd4j.rand(DataType.FLOAT, v.shape()).muli(0.5) : Nd4j.randn(DataType.FLOAT, v.shape()).muli(0.3).addi(k.equals("gamma") ? 1 : 0)));
                }
            }
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32);
            MultiLayerNetwork folded = FoldedNet.fold(net, 32, layout);
            assertTrue(folded.getnLayers() < net.getnLayers(), "batch norms and dropout are gone");
            float[] want = net.output(Nets.input(net, x), false).ravel().toFloatVector();
            assertArrayEquals(want, folded.output(Nets.input(folded, x), false).ravel().toFloatVector(), 1e-4f, layout.toString());
            assertArrayEquals(want, folded.output(Nets.input(folded, x), true).ravel().toFloatVector(), 1e-4f, layout + " in training mode");
        }
    }

    @Test
    void aFrozenFineTunedNetworkFoldsIntoEitherLayout() {
        ModelMeta meta = new ModelMeta("classification", List.of("a", "b", "c"), 32, ModelMeta.RGB01, null);
        MultiLayerNetwork classifier = Nets.faceNet(meta, 4, new FixedSchedule(1e-3), 0);
        MultiLayerNetwork net = Nets.viaLabels(classifier, new ModelMeta("regression", List.of(), 32, ModelMeta.RGB01, new double[] {1, 5}), 4,
                new FixedSchedule(1e-3), 0);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 3, 32, 32);
        float[] want = net.output(x, false).ravel().toFloatVector();
        for (CNN2DFormat layout : CNN2DFormat.values()) {
            MultiLayerNetwork folded = FoldedNet.fold(net, 32, layout);
            assertEquals(layout == CNN2DFormat.NHWC, Nets.channelsLast(folded));
            assertArrayEquals(want, folded.output(Nets.input(folded, x), false).ravel().toFloatVector(), 1e-4f, layout.toString());
        }
    }
}
