package konomi.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** SimCLR's loss: small when each view is nearest its partner, and its gradient is the loss's own slope. */
class NtXentLossTest {
    final NtXentLoss loss = new NtXentLoss();
    final ActivationIdentity identity = new ActivationIdentity();

    double score(INDArray h) {
        return loss.computeScore(null, h, identity, null, false);
    }

    @Test
    void viewsNearTheirPartnersScoreLowerThanStrangers() {
        Nd4j.getRandom().setSeed(7);
        INDArray pictures = Nd4j.randn(DataType.DOUBLE, 4, 8);
        INDArray paired = Nd4j.concat(0, pictures, pictures.add(Nd4j.randn(DataType.DOUBLE, 4, 8).muli(0.05)));
        INDArray strangers = Nd4j.randn(DataType.DOUBLE, 8, 8);
        assertThat(score(paired)).isLessThan(score(strangers) / 2);
        assertThat(loss.computeScoreArray(null, paired, identity, null).length()).isEqualTo(8);
        // the mean is the sum over the rows
        assertThat(loss.computeScore(null, paired, identity, null, true)).isCloseTo(score(paired) / 8, within(1e-9));
    }

    @Test
    void theGradientMatchesFiniteDifferences() {
        Nd4j.getRandom().setSeed(11);
        INDArray h = Nd4j.randn(DataType.DOUBLE, 6, 5);
        INDArray g = loss.computeGradient(null, h, identity, null);
        double eps = 1e-3; // the loss works in float: smaller steps drown in rounding
        for (int i = 0; i < 6; i++) {
            for (int k = 0; k < 5; k++) {
                INDArray up = h.dup(), down = h.dup();
                up.putScalar(i, k, h.getDouble(i, k) + eps);
                down.putScalar(i, k, h.getDouble(i, k) - eps);
                double numeric = (score(up) - score(down)) / (2 * eps);
                assertThat(g.getDouble(i, k)).as("row %d column %d", i, k).isCloseTo(numeric, within(2e-3));
            }
        }
    }

    @Test
    void anOddBatchIsNotPairs() {
        assertThatThrownBy(() -> score(Nd4j.ones(DataType.FLOAT, 3, 4))).hasMessage("NT-Xent needs two views of each picture (an even number of rows), not [3, 4]");
    }
}
