package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void spearmanUsesAverageRanksForTies() {
        assertThat(Metrics.ranks(new double[] {10, 20, 20, 5})).containsExactly(2, 3.5, 3.5, 1);
        Map<String, Double> m = Metrics.regression(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40});
        assertThat(m.get("spearman")).isCloseTo(1.0, within(1e-12));
        assertThat(m.get("mae")).isCloseTo(22.5, within(1e-12));
        assertThat(Metrics.regression(new double[] {4, 3, 2, 1}, new double[] {1, 2, 3, 4}).get("spearman")).isCloseTo(-1.0, within(1e-12));
    }

    @Test
    void accuracyTop3AndConfusion() {
        float[][] p = {{0.7f, 0.2f, 0.1f, 0f}, {0.1f, 0.2f, 0.3f, 0.4f}, {0.4f, 0.3f, 0.2f, 0.1f}};
        int[][] confusion = new int[4][4];
        Map<String, Double> m = Metrics.classification(p, new int[] {0, 0, 3}, confusion);
        assertThat(m.get("accuracy")).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(m.get("top3")).isCloseTo(1 / 3.0, within(1e-12)); // class 0 is 4th of sample 2, class 3 is 4th of sample 3
        assertThat(confusion[0][0]).isEqualTo(1);
        assertThat(confusion[0][3]).isEqualTo(1);
        assertThat(confusion[3][0]).isEqualTo(1);
    }
}
