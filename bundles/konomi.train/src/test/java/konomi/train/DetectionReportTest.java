package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.Image;
import konomi.imaging.Images;

class DetectionReportTest {
    /**
     * Two pictures, three faces. a: one face found at 0.9, a false alarm at 0.8 elsewhere; b: one face found only at 0.2
     * (below the model's 0.5), one face with nothing near it.
     */
    static final Map<String, List<Box>> TRUTH = Map.of(
            "a.jpg", List.of(new Box(10, 10, 50, 50)),
            "b.jpg", List.of(new Box(100, 100, 200, 200), new Box(0, 0, 20, 20)));
    static final Map<String, List<Face>> FOUND = Map.of(
            "a.jpg", List.of(new Face(new Box(12, 10, 50, 52), 0.9), new Face(new Box(300, 300, 340, 340), 0.8)),
            "b.jpg", List.of(new Face(new Box(105, 100, 205, 200), 0.2)));

    @Test
    void figuresAtTheModelsAndTheAskedThreshold() {
        DetectionReport r = DetectionReport.of(TRUTH, FOUND, 0.5, OptionalDouble.of(0.1), 12);
        Map<String, Double> m = r.metrics();
        // ranked 0.9 hit (1/3, 1), 0.8 miss (1/3, 1/2), 0.2 hit (2/3, 2/3): AP = 1/3 * 1 + 1/3 * 2/3
        assertThat(m.get("ap50")).isCloseTo(1.0 / 3 + 2.0 / 9, within(1e-9));
        assertThat(m.get("recall")).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(m.get("precision")).isCloseTo(0.5, within(1e-9));
        assertThat(m.get("recall@0.1")).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(m.get("precision@0.1")).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(m).containsEntry("pictures", 2.0).containsEntry("faces", 3.0).containsEntry("threshold", 0.5)
                .containsEntry("detections", 3.0); // at the asked 0.1, the operating threshold
        assertThat(r.operating()).isEqualTo(0.1);
        assertThat(r.pointAt(0.5)).containsExactly(1.0 / 3, 0.5);
        assertThat(r.pointAt(0.95)).containsExactly(0, 1);
        // the same figures as training's metrics.json computes
        assertThat(m.get("ap50")).isEqualTo(DetectionRun.figures(TRUTH, FOUND, 0.5).get("ap50"));
    }

    @Test
    void worstMissesFirstAndFalseAlarmsByConfidence() {
        DetectionReport r = DetectionReport.of(TRUTH, FOUND, 0.5, OptionalDouble.empty(), 12);
        assertThat(r.misses()).extracting(DetectionReport.Miss::truth).containsExactly(new Box(0, 0, 20, 20), new Box(100, 100, 200, 200));
        assertThat(r.misses().get(0).best()).isZero();
        assertThat(r.misses().get(0).nearby()).isEmpty();
        assertThat(r.misses().get(1).best()).isEqualTo(0.2);
        assertThat(r.misses().get(1).nearby()).extracting(Face::confidence).containsExactly(0.2);
        assertThat(r.falseAlarms()).hasSize(1);
        assertThat(r.falseAlarms().get(0).face().confidence()).isEqualTo(0.8);
        assertThat(r.metrics()).containsEntry("detections", 2.0).doesNotContainKey("recall@0.5");

        DetectionReport one = DetectionReport.of(TRUTH, FOUND, 0.5, OptionalDouble.empty(), 1);
        assertThat(one.misses()).hasSize(1);
        // at a threshold below every detection only the face with nothing near it is missed
        assertThat(DetectionReport.of(TRUTH, FOUND, 0.5, OptionalDouble.of(0.1), 12).misses()).extracting(DetectionReport.Miss::image)
                .containsExactly("b.jpg");
    }

    @Test
    void curveCsvChartAndPictures(@TempDir Path dir) throws Exception {
        DetectionReport r = DetectionReport.of(TRUTH, FOUND, 0.5, OptionalDouble.of(0.1), 12);
        assertThat(DetectorRunEvaluation.prCsv(r.curve()).split("\n")).containsExactly("confidence,recall,precision",
                "0.900000,0.333333,1.000000", "0.800000,0.333333,0.500000", "0.200000,0.666667,0.666667");
        byte[] png = DetectorRunEvaluation.prChart(r, 0.5, 0.1);
        Image chart = Images.decode("pr.png", png);
        assertThat(chart.width()).isEqualTo(640);
        assertThat(chart.height()).isEqualTo(480);

        // a grey 800x600 picture: the drawn miss is cut around the face (3x its side), shrunk to at most 360, boxes green
        byte[] grey = new byte[800 * 600 * 3];
        java.util.Arrays.fill(grey, (byte) 128);
        Path pic = dir.resolve("p.jpg");
        Files.write(pic, Images.jpeg(new Image("p", 800, 600, 3, grey), 95));
        DetectionReport.Miss miss = new DetectionReport.Miss("p.jpg", new Box(300, 200, 500, 400), 0, List.of());
        Image drawn = Images.decode("miss", DetectorRunEvaluation.drawMiss(pic, miss, List.of(miss.truth())));
        assertThat(Math.max(drawn.width(), drawn.height())).isEqualTo(DetectorRunEvaluation.SIDE);
        // the middle of the left edge of the face box (x 300 of the cut 100..700, y 300 of 0..600): green in BGR
        int x = (int) Math.round((300 - 100) * 360.0 / 600), y = (int) Math.round(300 * 360.0 / 600);
        int at = (y * drawn.width() + x) * 3;
        int b = drawn.pixels()[at] & 0xff, g = drawn.pixels()[at + 1] & 0xff, red = drawn.pixels()[at + 2] & 0xff;
        assertThat(g).as("green at the face's edge").isGreaterThan(150);
        assertThat(b).isLessThan(110);
        assertThat(red).isLessThan(110);
        // the centre stays grey: only boxes are drawn
        int c = ((drawn.height() / 2) * drawn.width() + drawn.width() / 2) * 3;
        assertThat(drawn.pixels()[c + 1] & 0xff).isBetween(110, 145);
    }
}
