package konomi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

class ResidualNetTest {
    private static final ModelMeta META = new ModelMeta("classification", List.of("a", "b", "c"), 32, ModelMeta.RGB01, null, null);

    private static ComputationGraph net(CNN2DFormat layout) {
        return net(layout, false);
    }

    private static ComputationGraph net(CNN2DFormat layout, boolean squeeze) {
        return Nets.residualNet(META, 7, new MapSchedule(ScheduleType.EPOCH, java.util.Map.of(0, 0.01)), 1e-4, layout, squeeze);
    }

    @Test
    void theResidualNetworkIsTheDeepOneWithShortcuts() {
        ComputationGraph g = net(CNN2DFormat.NCHW);
        long deep = Nets.faceNet(META, 7, new MapSchedule(ScheduleType.EPOCH, java.util.Map.of(0, 0.01)), 1e-4, CNN2DFormat.NCHW, Nets.DEEP).numParams();
        // the three 1x1 projections (32-64, 64-128, 128-256) with their batch norms are all it adds
        long projections = 32 * 64 + 64 * 128 + 128 * 256 + 4 * (64 + 128 + 256);
        assertEquals(deep + projections, g.numParams());
        assertEquals(3, Nets.outputs(g));
        assertEquals(3, g.getConfiguration().getVertices().keySet().stream().filter(k -> k.endsWith("add")).count());
        // the penultimate features (what FID compares): the global pooling's 256 values per picture
        assertEquals("pool", Nets.poolingLayer(g));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {2, 256}, Nets.features(g, Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32)).shape());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "squeeze-excitation {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void itLearnsAndItsOutputsAreTheSameAfterSavingAndLoading(boolean squeeze, @TempDir Path dir) throws IOException {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 12, 3, 32, 32);
        INDArray y = Nd4j.zeros(12, 3);
        for (int i = 0; i < 12; i++) {
            y.putScalar(i, i % 3, 1);
            x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.point(i % 3)).addi(1); // the label is in a channel
        }
        ComputationGraph g = (ComputationGraph) Nets.forTraining(net(CNN2DFormat.NCHW, squeeze));
        WeightAverage<ComputationGraph> average = new WeightAverage<>(g, 0.9, true);
        double first = 0, last = 0;
        for (int step = 0; step < 30; step++) {
            g.fit(new DataSet(x, y));
            average.update(g, Nets.iterations(g));
            last = g.score();
            first = step == 0 ? last : first;
        }
        assertEquals(30, Nets.iterations(g));
        assertTrue(last < first / 2, "loss " + first + " -> " + last);
        assertTrue(average.network() != g && !average.network().params().equals(g.params()));
        File zip = dir.resolve("res.zip").toFile();
        ModelSerializer.writeModel(g, zip, true);
        Model back = Nets.restoreModel(zip, false), withUpdater = Nets.restoreModel(zip, true);
        assertInstanceOf(ComputationGraph.class, back);
        INDArray expected = Nets.output(g, x, true);
        assertArrayEquals(expected.ravel().toFloatVector(), Nets.output(back, x, true).ravel().toFloatVector(), 1e-6f);
        assertArrayEquals(expected.ravel().toFloatVector(), Nets.output(withUpdater, x, true).ravel().toFloatVector(), 1e-6f);
        assertEquals(g.getUpdater().getStateViewArray(), ((ComputationGraph) withUpdater).getUpdater().getStateViewArray()); // resumable
        // folded for scoring: no batch norm nor dropout left, the same function in either layout
        for (CNN2DFormat layout : CNN2DFormat.values()) {
            ComputationGraph folded = FoldedNet.fold(g, 32, layout);
            assertEquals(0, java.util.Arrays.stream(folded.getLayers()).filter(l -> l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization
                    || l instanceof org.deeplearning4j.nn.layers.DropoutLayer).count());
            assertEquals(layout == CNN2DFormat.NHWC, Nets.channelsLast((Model) folded));
            INDArray in = layout == CNN2DFormat.NHWC ? Tensors.channelsLast(x) : x;
            assertArrayEquals(Nets.output(g, x).ravel().toFloatVector(), Nets.output(folded, in).ravel().toFloatVector(), 1e-4f, layout.name());
        }
        IOException e = assertThrows(IOException.class, () -> Nets.restore(zip, false));
        assertTrue(e.getMessage().contains("graph network"), e.getMessage());
    }

    @Test
    void aChannelsLastGraphSaysSo() {
        assertTrue(Nets.channelsLast((Model) net(CNN2DFormat.NHWC)));
        assertTrue(!Nets.channelsLast((Model) net(CNN2DFormat.NCHW)));
    }
}
