package konomi.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;

/** The pairwise ranking loss: its gradient is its score's derivative, it orders pairs, and a network keeps it in its file. */
class RankingLossTest {
    static final ModelMeta REGRESSION = new ModelMeta("regression", List.of(), 32, ModelMeta.RGB01, new double[] {1, 5});

    @Test
    void gradientIsTheDerivativeOfTheScore() {
        RankingLoss loss = new RankingLoss(2);
        INDArray y = Nd4j.create(new float[] {1, 3, 3, 5, 2}, new long[] {5, 1});
        INDArray s = Nd4j.create(new float[] {1.5f, 2.5f, 3.2f, 4f, 2.9f}, new long[] {5, 1});
        INDArray g = loss.computeGradient(y, s, new ActivationIdentity(), null);
        for (int i = 0; i < 5; i++) {
            double h = 1e-3;
            INDArray up = s.dup(), down = s.dup();
            up.putScalar(i, 0, s.getDouble(i, 0) + h);
            down.putScalar(i, 0, s.getDouble(i, 0) - h);
            // DL4J's convention: the gradient is per example, the layer divides by the batch size as the averaged score does
            double numeric = (loss.computeScore(y, up, new ActivationIdentity(), null, true)
                    - loss.computeScore(y, down, new ActivationIdentity(), null, true)) / (2 * h) * 5;
            assertThat(g.getDouble(i, 0)).isCloseTo(numeric, within(2e-3));
        }
    }

    @Test
    void withoutWeightItIsTheSquaredErrorAndPairsInTheRightOrderCostLess() {
        INDArray y = Nd4j.create(new float[] {1, 2}, new long[] {2, 1});
        INDArray right = Nd4j.create(new float[] {1.2f, 1.8f}, new long[] {2, 1}), wrong = Nd4j.create(new float[] {1.8f, 1.2f}, new long[] {2, 1});
        assertThat(new RankingLoss(0).computeScore(y, right, new ActivationIdentity(), null, true)).isCloseTo(0.04, within(1e-6));
        // the same squared error, but the pair term punishes the wrong order
        assertThat(new RankingLoss(1).computeScore(y, wrong, new ActivationIdentity(), null, true))
                .isGreaterThan(new RankingLoss(1).computeScore(y, right, new ActivationIdentity(), null, true) + 0.3);
    }

    @Test
    void aNetworkTrainsWithItAndLoadsBackWithIt(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = Nets.withRankingLoss(Nets.faceNet(REGRESSION, 1, new FixedSchedule(1e-3), 0), 0.5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3, 32, 32), y = Nd4j.create(new float[] {1, 2, 3, 4, 5, 1, 2, 3}, new long[] {8, 1});
        double first = 0;
        for (int i = 0; i < 30; i++) {
            net.fit(new DataSet(x, y));
            first = i == 0 ? net.score() : first;
        }
        assertThat(net.score()).isLessThan(first);
        File zip = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, zip, false);
        MultiLayerNetwork back = Nets.restore(zip, false);
        assertThat(back.getLayerWiseConfigurations().getConf(back.getnLayers() - 1).getLayer().toString()).contains("RankingLoss(0.5)");
        assertThat(back.output(x).equalsWithEps(net.output(x), 1e-5)).isTrue();
    }
}
