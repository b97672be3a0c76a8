package konomi.nn.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import konomi.api.Box;
import konomi.api.Face;

/** The decoding convention: an activated output describing one face comes back as that face, in picture pixels. */
class YoloDecoderTest {
    @Test
    void anActivatedOutputForOneFaceDecodesToThatFace() {
        DetectorMeta meta = new DetectorMeta(128, 16, new double[][] {{1, 1}, {3, 3}}, 0.3, 0.4);
        int g = meta.grid();
        INDArray out = Nd4j.zeros(1, 2 * 6, g, g);
        // a face centred at input (72, 40), 48 x 32 px: cell (4, 2), offsets 0.5, 0.5; size 3 x 2 cells; anchor 1
        int b = 1, cx = 4, cy = 2;
        out.putScalar(new int[] {0, b * 6, cy, cx}, 0.5);
        out.putScalar(new int[] {0, b * 6 + 1, cy, cx}, 0.5);
        out.putScalar(new int[] {0, b * 6 + 2, cy, cx}, 3);
        out.putScalar(new int[] {0, b * 6 + 3, cy, cx}, 2);
        out.putScalar(new int[] {0, b * 6 + 4, cy, cx}, 0.9);
        out.putScalar(new int[] {0, b * 6 + 5, cy, cx}, 1);
        // the picture was 256 x 200, letterboxed at scale 0.5
        Placement p = Placement.letterbox(256, 200, 128);
        List<Face> faces = YoloDecoder.faces(out, 0, meta, YoloDecoder.priors(meta), p, 256, 200, 0.3, 0.4);
        assertThat(faces).hasSize(1);
        assertThat(faces.get(0).box()).isEqualTo(new Box(96, 48, 192, 112));
        assertThat(faces.get(0).confidence()).isCloseTo(0.9, org.assertj.core.api.Assertions.within(1e-6));
    }
}
