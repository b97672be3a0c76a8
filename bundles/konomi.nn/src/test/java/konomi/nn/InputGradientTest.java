package konomi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

class InputGradientTest {
    private static final ModelMeta META = new ModelMeta("classification", List.of("a", "b", "c"), 16, ModelMeta.RGB01, null, null);
    private static final MapSchedule LR = new MapSchedule(ScheduleType.EPOCH, Map.of(0, 0.01));

    /** A few steps of training so that batch norms have statistics to fold and the output is not uniform. */
    private static Model trained(Model net) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 3, 16, 16), y = Nd4j.zeros(DataType.FLOAT, 6, 3);
        for (int i = 0; i < 6; i++) {
            y.putScalar(i, i % 3, 1);
        }
        for (int s = 0; s < 5; s++) {
            if (net instanceof MultiLayerNetwork m) {
                m.fit(new DataSet(x, y));
            } else {
                ((ComputationGraph) net).fit(new DataSet(x, y));
            }
        }
        return net;
    }

    private static INDArray label(int c) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, 1, 3);
        y.putScalar(0, c, 1);
        return y;
    }

    @Test
    void aGraphGivesTheSameInputGradientAsTheSameNetworkAsLayers() {
        MultiLayerNetwork m = (MultiLayerNetwork) FoldedNet.fold(trained(Nets.faceNet(META, 5, LR, 1e-4, CNN2DFormat.NCHW, Nets.DEEP)), 16, CNN2DFormat.NCHW);
        ComputationGraph g = m.toComputationGraph();
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 16, 16);
        INDArray expected = m.calculateGradients(x, label(1), null, null).getSecond();
        INDArray got = InputGradient.of(g, x, label(1));
        assertArrayEquals(expected.shape(), got.shape());
        assertTrue(expected.amaxNumber().doubleValue() > 0);
        assertArrayEquals(expected.ravel().toFloatVector(), got.ravel().toFloatVector(), 1e-5f);
    }

    /** The residual graph (shortcuts: a vertex feeding two) against central differences of -log p(label). */
    @Test
    void aResidualGraphsInputGradientMatchesNumericalDifferences() {
        ComputationGraph g = (ComputationGraph) FoldedNet.fold(trained(Nets.residualNet(META, 5, LR, 1e-4, CNN2DFormat.NCHW, false)), 16, CNN2DFormat.NCHW);
        g = g.convertDataType(DataType.DOUBLE);
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 3, 16, 16);
        INDArray grad = InputGradient.of(g, x, label(2).castTo(DataType.DOUBLE));
        assertEquals(DataType.DOUBLE, grad.dataType());
        double eps = 1e-5;
        Nd4j.getRandom().setSeed(11);
        for (int t = 0; t < 12; t++) {
            int c = t % 3, i = (t * 5) % 16, j = (t * 7 + 3) % 16;
            double keep = x.getDouble(0, c, i, j);
            x.putScalar(new long[] {0, c, i, j}, keep + eps);
            double up = -Math.log(g.outputSingle(false, x).getDouble(0, 2));
            x.putScalar(new long[] {0, c, i, j}, keep - eps);
            double down = -Math.log(g.outputSingle(false, x).getDouble(0, 2));
            x.putScalar(new long[] {0, c, i, j}, keep);
            double numeric = (up - down) / (2 * eps), analytic = grad.getDouble(0, c, i, j);
            assertEquals(numeric, analytic, 1e-6 + 1e-4 * Math.abs(numeric), "pixel " + c + "," + i + "," + j);
        }
    }
}
