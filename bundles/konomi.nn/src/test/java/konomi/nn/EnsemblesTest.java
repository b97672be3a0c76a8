package konomi.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

class EnsemblesTest {
    private static final ModelMeta META = new ModelMeta("classification", List.of("a", "b", "c"), 32, ModelMeta.RGB01, null, null);
    private static final MapSchedule LR = new MapSchedule(ScheduleType.EPOCH, Map.of(0, 0.01));

    private static ComputationGraph res(long seed) {
        return Nets.residualNet(META, seed, LR, 1e-4, CNN2DFormat.NCHW, false);
    }

    private static MultiLayerNetwork deep(long seed) {
        return Nets.faceNet(META, seed, LR, 1e-4, CNN2DFormat.NCHW, Nets.DEEP);
    }

    @Test
    void thePackedNetworkOutputsTheMeanOfItsMembersProbabilities(@TempDir Path dir) throws IOException {
        List<Model> members = List.of(res(1), res(2), deep(3));
        ComputationGraph packed = Ensembles.mean(members, 32);
        assertEquals(3, Ensembles.members(packed));
        assertEquals(0, Ensembles.members(res(1)));
        assertEquals(3, Nets.outputs(packed));
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 3, 32, 32);
        INDArray mean = Nets.output(members.get(0), x).add(Nets.output(members.get(1), x)).add(Nets.output(members.get(2), x)).div(3);
        INDArray y = Nets.output(packed, x);
        assertTrue(y.equalsWithEps(mean, 1e-5), () -> y + " against " + mean);
        assertTrue(Nets.output(members.get(0), x).equalsWithEps(Nets.output(members.get(1), x), 1e-3) == false, "members differ, so the mean means something");

        // as scoring runs it: batch norms folded into the convolutions, channels-last
        Model folded = FoldedNet.fold(packed, 32, CNN2DFormat.NHWC);
        INDArray f = Nets.outputInLayout(folded, x.permute(0, 2, 3, 1).dup(), false);
        assertTrue(f.equalsWithEps(mean, 1e-4), () -> f + " against " + mean);

        // half precision: about half the file, read back as single precision, the same probabilities to ~1e-3
        File full = dir.resolve("full.zip").toFile(), half = dir.resolve("half.zip").toFile();
        ModelSerializer.writeModel(packed, full, false);
        ModelSerializer.writeModel(Ensembles.halfPrecision(packed), half, false);
        assertTrue(Files.size(half.toPath()) < 0.6 * Files.size(full.toPath()), Files.size(half.toPath()) + " against " + Files.size(full.toPath()));
        Model back = Nets.restoreModel(half, false);
        assertEquals(DataType.FLOAT, back.params().dataType());
        INDArray h = Nets.output(back, x);
        assertEquals(DataType.FLOAT, h.dataType());
        assertTrue(h.equalsWithEps(mean, 2e-3), () -> h + " against " + mean);
    }

    @Test
    void theGeometricMeanAveragesLogitsAndSwitchesBackWithTheSameWeights(@TempDir Path dir) throws IOException {
        List<Model> members = List.of(res(1), res(2), deep(3));
        ComputationGraph arithmetic = Ensembles.mean(members, 32), geometric = Ensembles.withMean(arithmetic, true);
        assertTrue(Ensembles.isGeometric(geometric));
        assertTrue(!Ensembles.isGeometric(arithmetic));
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 3, 32, 32);
        // the normalised geometric mean of the members' probabilities: the softmax of their mean log-probabilities
        INDArray logs = Nd4j.zeros(DataType.FLOAT, 5, 3);
        for (Model m : members) {
            logs.addi(org.nd4j.linalg.ops.transforms.Transforms.log(Nets.output(m, x), true));
        }
        INDArray expected = org.nd4j.linalg.ops.transforms.Transforms.softmax(logs.div(3), true);
        INDArray y = Nets.output(geometric, x);
        assertTrue(y.equalsWithEps(expected, 1e-5), () -> y + " against " + expected);
        assertTrue(!y.equalsWithEps(Nets.output(arithmetic, x), 1e-4), "the two means differ");
        assertTrue(Nets.output(Ensembles.withMean(geometric, false), x).equalsWithEps(Nets.output(arithmetic, x), 1e-6), "and switch back");
        Model folded = FoldedNet.fold(geometric, 32, CNN2DFormat.NHWC);
        INDArray f = Nets.outputInLayout(folded, x.permute(0, 2, 3, 1).dup(), false);
        assertTrue(f.equalsWithEps(expected, 1e-4), () -> f + " against " + expected);
        File half = dir.resolve("half.zip").toFile();
        ModelSerializer.writeModel(Ensembles.halfPrecision(geometric), half, false);
        Model back = Nets.restoreModel(half, false);
        assertTrue(Ensembles.isGeometric(back));
        assertTrue(Nets.output(back, x).equalsWithEps(expected, 2e-3));
        // a rating through the labels reads the probabilities, not the mean logits
        ModelMeta rating = new ModelMeta("regression", List.of(), 32, ModelMeta.RGB01, new double[] {1, 5}, null);
        ComputationGraph net = Nets.viaLabels(geometric, rating, 5, LR, 1e-4);
        INDArray w = net.getLayer(Ensembles.OUTPUT).getParam("W"), b = net.getLayer(Ensembles.OUTPUT).getParam("b");
        assertTrue(Nets.output(net, x).equalsWithEps(expected.mmul(w).addRowVector(b), 1e-5));
        assertThrows(IllegalArgumentException.class, () -> Ensembles.withMean(res(1), true));
    }

    @Test
    void transferStartsFromTheMembersFeaturesSideBySide() {
        ComputationGraph packed = Ensembles.mean(List.of(res(1), res(2)), 32);
        ModelMeta four = new ModelMeta("classification", List.of("a", "b", "c", "d"), 32, ModelMeta.RGB01, null, null);
        ComputationGraph net = Nets.fromBase(packed, four, 5, LR, 1e-4, true);
        assertEquals(4, Nets.outputs(net));
        assertEquals(512, ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) net.getLayer(Ensembles.OUTPUT).conf().getLayer()).getNIn());
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 3, 32, 32), y = Nd4j.eye(4).repeat(0, 2).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).castTo(DataType.FLOAT);
        INDArray conv = net.getLayer(Ensembles.prefix(1) + "stem").getParam("W").dup(), head = net.getLayer(Ensembles.OUTPUT).getParam("W").dup();
        net.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
        assertEquals(conv, net.getLayer(Ensembles.prefix(1) + "stem").getParam("W"), "frozen: the members' features stay");
        assertTrue(!head.equals(net.getLayer(Ensembles.OUTPUT).getParam("W")), "the head learns");
    }

    @Test
    void aRegressorThroughTheEnsemblesLabelsReadsItsMeanProbabilities() {
        ComputationGraph packed = Ensembles.mean(List.of(res(1), res(2)), 32);
        ModelMeta rating = new ModelMeta("regression", List.of(), 32, ModelMeta.RGB01, new double[] {1, 5}, null);
        ComputationGraph net = Nets.viaLabels(packed, rating, 5, LR, 1e-4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 3, 32, 32);
        INDArray w = net.getLayer(Ensembles.OUTPUT).getParam("W"), b = net.getLayer(Ensembles.OUTPUT).getParam("b");
        INDArray expected = Nets.output(packed, x).mmul(w).addRowVector(b);
        assertTrue(Nets.output(net, x).equalsWithEps(expected, 1e-5));
    }

    @Test
    void itRefusesNetworksThatCannotBeAveraged() {
        ModelMeta four = new ModelMeta("classification", List.of("a", "b", "c", "d"), 32, ModelMeta.RGB01, null, null);
        ComputationGraph other = Nets.residualNet(four, 1, LR, 1e-4, CNN2DFormat.NCHW, false);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ensembles.mean(List.of(res(1), other), 32)).getMessage()
                .startsWith("network 2 has 4 outputs against network 1's 3"));
        ModelMeta rating = new ModelMeta("regression", List.of(), 32, ModelMeta.RGB01, new double[] {1, 5}, null);
        ComputationGraph regressor = Nets.residualNet(rating, 1, LR, 1e-4, CNN2DFormat.NCHW, false);
        assertThrows(IllegalArgumentException.class, () -> Ensembles.mean(List.of(regressor, regressor), 32));
        assertThrows(IllegalArgumentException.class, () -> Ensembles.mean(List.of(res(1)), 32));
    }
}
