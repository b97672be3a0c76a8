package konomi.nn.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

import konomi.api.Box;
import konomi.api.Image;
import konomi.api.KonomiException;

class PlacementTest {
    @Test
    void boxesGoToTheInputAndBackUnchanged() {
        Box face = new Box(100, 50, 300, 260);
        for (Placement p : new Placement[] {Placement.letterbox(1000, 700, 384), new Placement(384, 0.7, -40, 25, true),
                new Placement(384, 0.3, 100, 0, false)}) {
            double[] c = p.toInput(face);
            assertThat(c[2]).isGreaterThan(c[0]);
            Box back = p.toImage(c[0], c[1], c[2], c[3], 1000, 700);
            assertThat(back).isEqualTo(face);
        }
    }

    @Test
    void letterboxKeepsTheAspectAndFillsTheRestWithGrey() {
        byte[] px = new byte[200 * 100 * 3];
        java.util.Arrays.fill(px, (byte) 255); // white picture, twice as wide as high
        Placement p = Placement.letterbox(200, 100, 64);
        assertThat(p.scale()).isCloseTo(0.32, within(1e-9));
        float[] x = new float[3 * 64 * 64];
        p.render(new Image("w", 200, 100, 3, px), x, 0);
        assertThat(x[0]).isEqualTo(1f); // top-left: the picture
        assertThat(x[63 * 64 + 10]).isEqualTo(Placement.FILL); // bottom rows: the margin
    }

    @Test
    void flipMirrorsPixelsAndBoxesAlike() {
        byte[] px = new byte[64 * 64 * 3];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 8; x++) {
                px[(y * 64 + x) * 3 + 2] = (byte) 255; // a red stripe on the left edge
            }
        }
        Placement p = new Placement(64, 1, 0, 0, true);
        float[] x = new float[3 * 64 * 64];
        p.render(new Image("s", 64, 64, 3, px), x, 0);
        assertThat(x[63]).isEqualTo(1f); // red now on the right
        assertThat(x[0]).isEqualTo(0f);
        assertThat(p.toInput(new Box(0, 0, 8, 64))).containsExactly(56, 0, 64, 64);
    }

    @Test
    void headerRoundTripAndOneLineErrors() {
        DetectorMeta m = new DetectorMeta(384, 16, new double[][] {{1.5, 1.25}, {4, 4}}, 0.35, 0.4);
        Map<String, String> h = m.headerAttributes();
        DetectorMeta back = DetectorMeta.fromHeader("b", h);
        assertThat(back.size()).isEqualTo(384);
        assertThat(back.anchors()).isDeepEqualTo(m.anchors());
        assertThat(back.threshold()).isEqualTo(0.35);
        assertThatThrownBy(() -> DetectorMeta.fromHeader("bad.bundle", Map.of("input", "384x384x3", "anchors", "1.5")))
                .isInstanceOf(KonomiException.class).hasMessage("bad.bundle: Konomi-Model anchor '1.5' is not w:h");
        assertThatThrownBy(() -> new DetectorMeta(380, 16, new double[][] {{1, 1}}, 0.3, 0.4)).hasMessageContaining("multiple of its stride");
        assertThatThrownBy(() -> new DetectorMeta(384, 16, new double[][] {{1, 1}}, 1.3, 0.4)).hasMessageContaining("threshold must be in [0, 1]");
    }
}
