package konomi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.schedule.FixedSchedule;

import konomi.api.Image;

/** A batch written channels-last is the NCHW batch permuted; mirrored and fed either way, a network gives the same outputs. */
class TensorsTest {
    private static List<Image> faces(int n, int side, int channels) {
        Random r = new Random(3);
        List<Image> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[side * (side + 5) * channels];
            r.nextBytes(px);
            out.add(new Image("f" + i, side, side + 5, channels, px)); // not square: the centre square is taken
        }
        return out;
    }

    @Test
    void channelsLastBatchIsThePermutedNchwBatch() {
        for (int channels : new int[] {1, 3}) {
            List<Image> faces = faces(3, 40, channels);
            INDArray nchw = Tensors.batch(faces, 32), nhwc = Tensors.batch(faces, 32, true);
            assertArrayEquals(Tensors.channelsLast(nchw).ravel().toFloatVector(), nhwc.ravel().toFloatVector(), 0f, channels + " channels");
            assertArrayEquals(Tensors.channelsLast(Tensors.mirrored(nchw)).ravel().toFloatVector(),
                    Tensors.mirrored(nhwc, true).ravel().toFloatVector(), 0f, "mirrored, " + channels + " channels");
        }
    }

    @Test
    void aNetworkGivesTheSameOutputsFedInItsOwnLayout() {
        ModelMeta meta = new ModelMeta("classification", List.of("a", "b", "c"), 32, ModelMeta.RGB01, null);
        MultiLayerNetwork net = Nets.faceNet(meta, 3, new FixedSchedule(1e-3), 0);
        List<Image> faces = faces(5, 36, 3);
        for (CNN2DFormat layout : CNN2DFormat.values()) {
            MultiLayerNetwork folded = FoldedNet.fold(net, 32, layout);
            for (boolean flip : new boolean[] {false, true}) {
                float[] want = Nets.output(net, Tensors.batch(faces, 32), flip).ravel().toFloatVector();
                INDArray x = Tensors.batch(faces, 32, Nets.channelsLast(folded));
                assertArrayEquals(want, Nets.outputInLayout(folded, x, flip).ravel().toFloatVector(), 1e-4f, layout + (flip ? ", flip test" : ""));
            }
        }
    }
}
