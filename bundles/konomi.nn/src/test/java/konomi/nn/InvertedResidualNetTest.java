package konomi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;

class InvertedResidualNetTest {
    private static final ModelMeta META = new ModelMeta("classification", List.of("a", "b", "c"), 32, ModelMeta.RGB01, null);

    @Test
    void depthwiseBlocksWithShortcutsLearn() {
        ComputationGraph g = (ComputationGraph) Nets.network(META, 3, new FixedSchedule(3e-3), 0, CNN2DFormat.NCHW, Nets.INVERTED);
        long depthwise = g.getConfiguration().getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex l && l.getLayerConf().getLayer() instanceof DepthwiseConvolution2D).count();
        assertEquals(11, depthwise, "one depthwise conv per block");
        assertTrue(g.getConfiguration().getVertices().keySet().stream().filter(n -> n.endsWith("-add")).count() >= 5, "shortcuts");
        assertTrue(g.numParams() < 1_000_000, g.numParams() + " parameters");
        assertEquals(1, InputConvolution.install(Nets.forTraining(g)), "the stem takes the pictures");
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 12, 3, 32, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 12, 3);
        for (int i = 0; i < 12; i++) {
            y.putScalar(i, i % 3, 1f);
            x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.point(i % 3)).addi(1); // a colour per class
        }
        DataSet batch = new DataSet(x, y);
        g.fit(batch);
        double first = g.score();
        for (int i = 0; i < 30; i++) {
            g.fit(batch);
        }
        assertTrue(g.score() < first * 0.5, "loss " + first + " -> " + g.score());
    }

    @Test
    void foldsIntoEitherLayout() {
        ComputationGraph g = Nets.invertedResidualNet(META, 4, new FixedSchedule(1e-3), 0, CNN2DFormat.NCHW);
        // learnt batch-norm statistics and scales, not the initial 0/1: a few steps on pictures of another brightness
        Nd4j.getRandom().setSeed(5);
        for (int i = 0; i < 8; i++) {
            g.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 8, 3, 32, 32).muli(2).subi(0.3), Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0, 1)));
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 3, 32, 32);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).muli(0.3); // a dark picture
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(2), org.nd4j.linalg.indexing.NDArrayIndex.point(0)).addi(1); // a red one
        float[] want = g.outputSingle(false, x).ravel().toFloatVector();
        assertTrue(Math.abs(want[0] - want[3]) + Math.abs(want[3] - want[6]) > 1e-3, "the outputs depend on the picture");
        for (CNN2DFormat layout : CNN2DFormat.values()) {
            ComputationGraph folded = FoldedNet.fold(g, 32, layout);
            assertTrue(folded.getNumLayers() < g.getNumLayers(), "batch norms folded");
            assertArrayEquals(want, folded.outputSingle(false, Nets.input(folded, x)).ravel().toFloatVector(), 1e-4f, layout.toString());
        }
    }
}
