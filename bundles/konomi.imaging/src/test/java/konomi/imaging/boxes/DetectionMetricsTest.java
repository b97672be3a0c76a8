package konomi.imaging.boxes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import konomi.api.Box;
import konomi.api.Face;

class DetectionMetricsTest {
    private static final Box A = new Box(0, 0, 100, 100), B = new Box(200, 200, 300, 300);

    @Test
    void perfectDetectionsGiveApOne() {
        DetectionMetrics m = DetectionMetrics.of(Map.of("x", List.of(A, B)),
                Map.of("x", List.of(new Face(A, 0.9), new Face(new Box(205, 205, 300, 300), 0.8))), 0.5);
        assertThat(m.truePositives()).isEqualTo(2);
        assertThat(m.ap()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aConfidentFalsePositiveLowersApButNotRecall() {
        DetectionMetrics m = DetectionMetrics.of(Map.of("x", List.of(A, B)),
                Map.of("x", List.of(new Face(new Box(500, 500, 600, 600), 0.99), new Face(A, 0.9), new Face(B, 0.8))), 0.5);
        assertThat(m.recall()).isEqualTo(1.0);
        assertThat(m.precision()).isCloseTo(2 / 3.0, within(1e-9));
        // precision 1/2 at recall 0.5, 2/3 at recall 1: interpolated AP = 0.5*2/3 + 0.5*2/3
        assertThat(m.ap()).isCloseTo(2 / 3.0, within(1e-9));
    }

    @Test
    void aDuplicateDetectionCountsOnceAndAMissLowersRecall() {
        DetectionMetrics m = DetectionMetrics.of(Map.of("x", List.of(A, B), "y", List.of(A)),
                Map.of("x", List.of(new Face(A, 0.9), new Face(A, 0.8))), 0.5);
        assertThat(m.truePositives()).isEqualTo(1);
        assertThat(m.recall()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(m.ap()).isCloseTo(1 / 3.0, within(1e-9));
    }
}
