package konomi.nn.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;

import konomi.api.Box;
import konomi.api.Face;

/** The centre head: its loss's gradient is the derivative of its score, its decoding, and a round trip through a zip. */
class CentreHeadTest {
    @Test
    void theGradientIsTheDerivativeOfTheScore() {
        // 4 cells: a centre, a near cell (target 0.6), a far cell (0) and a cell with a high wrong logit
        INDArray labels = Nd4j.create(new double[][] {{1, 0.3, 0.7, 1.2, 0.9}, {0.6, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}})
                .castTo(DataType.DOUBLE);
        INDArray pre = Nd4j.create(new double[][] {{0.4, 0.1, 0.5, 1.0, 1.3}, {-0.2, 3, 3, 3, 3}, {-2, 1, 1, 1, 1}, {2.5, 0, 0, 0, 0}})
                .castTo(DataType.DOUBLE);
        CentreLoss loss = new CentreLoss();
        ActivationIdentity id = new ActivationIdentity();
        INDArray g = loss.computeGradient(labels, pre, id, null);
        double h = 1e-4;
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 5; c++) {
                INDArray up = pre.dup(), down = pre.dup();
                up.putScalar(r, c, pre.getDouble(r, c) + h);
                down.putScalar(r, c, pre.getDouble(r, c) - h);
                double numeric = (loss.computeScore(labels, up, id, null, false) - loss.computeScore(labels, down, id, null, false)) / (2 * h);
                assertThat(g.getDouble(r, c)).as("cell %d channel %d", r, c).isCloseTo(numeric, within(2e-3));
            }
        }
        // only centre cells have box terms; a high logit far from any face costs more than a low one
        assertThat(g.getDouble(1, 1)).isZero();
        assertThat(loss.computeScoreArray(labels, pre, id, null).getDouble(3)).isGreaterThan(loss.computeScoreArray(labels, pre, id, null).getDouble(2));
    }

    @Test
    void aPeakDecodesToItsFaceAndNeighboursAreNotFacesToo() {
        DetectorMeta meta = DetectorMeta.centre(128, 16, 0.3, 0.4);
        int g = meta.grid();
        INDArray out = Nd4j.valueArrayOf(new long[] {1, 5, g, g}, -5f);
        // a face centred at input (72, 40), 48 x 32 px: cell (4, 2), offsets 0.5, 0.5; size 3 x 2 cells
        out.putScalar(new int[] {0, 0, 2, 4}, 3);
        out.putScalar(new int[] {0, 0, 2, 5}, 1); // a lower neighbour: not a peak
        out.putScalar(new int[] {0, 1, 2, 4}, 0.5);
        out.putScalar(new int[] {0, 2, 2, 4}, 0.5);
        out.putScalar(new int[] {0, 3, 2, 4}, Math.log(3));
        out.putScalar(new int[] {0, 4, 2, 4}, Math.log(2));
        Placement p = Placement.letterbox(256, 200, 128);
        List<Face> faces = CentreDecoder.faces(out, 0, meta, p, 256, 200, 0.3, 0.4);
        assertThat(faces).hasSize(1);
        assertThat(faces.get(0).box()).isEqualTo(new Box(96, 48, 192, 112));
        assertThat(faces.get(0).confidence()).isCloseTo(1 / (1 + Math.exp(-3)), within(1e-6));
        assertThat(CentreDecoder.faces(out, 0, meta, p, 256, 200, 0.96, 0.4)).isEmpty();
    }

    @Test
    void aCentreDetectorSurvivesAZipAndItsBackboneSeedsAYoloOne(@TempDir Path dir) throws Exception {
        DetectorMeta meta = DetectorMeta.centre(64, 16, 0.3, 0.4);
        MultiLayerNetwork net = DetectorNets.centre(meta, 1, new FixedSchedule(1e-3), 0);
        assertThat(net.getLayer(net.getnLayers() - 2).getParam("b").getDouble(0)).isCloseTo(Math.log(0.1 / 0.9), within(1e-6));
        File zip = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, zip, true);
        assertThat(new String(Files.readAllBytes(dir.resolve("model.zip")), java.nio.charset.StandardCharsets.ISO_8859_1)).isNotEmpty();
        MultiLayerNetwork back = DetectorNets.restore(zip, true);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        assertThat(back.output(x)).isEqualTo(net.output(x));
        MultiLayerNetwork yolo = DetectorNets.yolo(new DetectorMeta(64, 16, new double[][] {{1, 1}}, 0.3, 0.4), 2, new FixedSchedule(1e-3), 0);
        assertThat(DetectorNets.copyLayers(back, yolo)).isEqualTo(yolo.getnLayers() - 2);
        assertThat(yolo.getLayer(0).getParam("W")).isEqualTo(net.getLayer(0).getParam("W"));
    }
}
