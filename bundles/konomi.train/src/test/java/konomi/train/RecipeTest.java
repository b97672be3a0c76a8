package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.FixedSchedule;

import konomi.api.Image;
import konomi.api.train.Augment;
import konomi.api.train.Recipe;
import konomi.imaging.Images;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;
import konomi.nn.Tensors;
import konomi.nn.WeightAverage;

/** The scorer levers: label smoothing, CutMix, the flip test and the weight average. */
class RecipeTest {
    static final int SIZE = 16, CLASSES = 4, N = 8;
    @TempDir
    Path dir;

    /** N pictures of one flat grey level each (sample i is level 20 i), labels i mod 4. */
    ImageCache flat() throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            byte[] px = new byte[SIZE * SIZE * 3];
            java.util.Arrays.fill(px, (byte) (20 * i));
            Path f = dir.resolve("f" + i + ".png");
            Files.write(f, Images.png(new Image("f" + i, SIZE, SIZE, 3, px)));
            samples.add(new Sample(f, "f" + i, i % CLASSES, 0, "g" + i));
        }
        return new ImageCache(samples, Tensors.cropFrom(SIZE), 1);
    }

    MultiLayerNetwork net() {
        return Nets.faceNet(new ModelMeta("classification", List.of("a", "b", "c", "d"), SIZE, ModelMeta.RGB01, null), 1,
                new FixedSchedule(1e-3), 0);
    }

    @Test
    void smoothedLabelsSumToOneAndFavourTheTrueClass() throws Exception {
        Batches b = new Batches(flat(), SIZE, CLASSES, net()).training(Recipe.DEFAULT.withSmoothing(0.1));
        float[] y = b.batch(Batches.identity(N), 0, N, Augment.NONE, new SplittableRandom(1)).getLabels().data().asFloat();
        for (int i = 0; i < N; i++) {
            float sum = 0;
            for (int c = 0; c < CLASSES; c++) {
                sum += y[i * CLASSES + c];
                assertThat(y[i * CLASSES + c]).isCloseTo(c == i % CLASSES ? 0.925f : 0.025f, within(1e-6f));
            }
            assertThat(sum).isCloseTo(1f, within(1e-6f));
        }
    }

    @Test
    void cutMixLabelsAreThePastedAreaShares() throws Exception {
        Batches b = new Batches(flat(), SIZE, CLASSES, net()).training(Recipe.DEFAULT.withCutmix(1));
        int mixed = 0;
        for (int seed = 0; seed < 5; seed++) {
            DataSet ds = b.batch(Batches.identity(N), 0, N, Augment.NONE, new SplittableRandom(seed));
            float[] x = ds.getFeatures().data().asFloat(), y = ds.getLabels().data().asFloat();
            int plane = SIZE * SIZE;
            for (int i = 0; i < N; i++) {
                // the share of pixels that are not the picture's own grey is the weight moved to the other's label
                int own = 0;
                for (int p = 0; p < plane; p++) {
                    own += Math.round(x[i * 3 * plane + p] * 255) == 20 * i ? 1 : 0;
                }
                float ownShare = own / (float) plane;
                float labelShare = y[i * CLASSES + i % CLASSES];
                if (ownShare < 1) {
                    mixed++;
                    // the other picture may share the class (i and i + 4): then the label keeps everything
                    assertThat(labelShare).isCloseTo(Math.abs(labelShare - 1) < 1e-6 ? 1f : ownShare, within(1e-5f));
                } else {
                    assertThat(labelShare).isCloseTo(1f, within(1e-6f));
                }
            }
        }
        assertThat(mixed).isGreaterThan(10);
    }

    @Test
    void zoomFramesTheFaceTighterOrLooser() throws Exception {
        // one picture at the cache's side (18 px): black with a white 8 px square in the middle
        int side = Tensors.cropFrom(SIZE);
        byte[] px = new byte[side * side * 3];
        for (int y = 5; y < 13; y++) {
            java.util.Arrays.fill(px, (y * side + 5) * 3, (y * side + 13) * 3, (byte) 255);
        }
        Path f = dir.resolve("square.png");
        Files.write(f, Images.png(new Image("square", side, side, 3, px)));
        ImageCache cache = new ImageCache(List.of(new Sample(f, "square", 0, 0, "g")), side, 1);
        Batches b = new Batches(cache, SIZE, CLASSES, net());
        double plain = whiteShare(b.batch(new int[] {0}, 0, 1, Augment.NONE, null).getFeatures());
        assertThat(plain).isCloseTo(64.0 / (SIZE * SIZE), within(1e-6)); // validation: the centre 16 px at 1:1
        double least = 1, most = 0;
        SplittableRandom rnd = new SplittableRandom(3);
        for (int k = 0; k < 40; k++) {
            INDArray x = b.batch(new int[] {0}, 0, 1, new Augment(false, false, false, true), rnd).getFeatures();
            assertThat(x.shape()).containsExactly(1, 3, SIZE, SIZE);
            double share = whiteShare(x);
            least = Math.min(least, share);
            most = Math.max(most, share);
        }
        // a 12 px window (3/4 of the input) shows the square at 16/12 its size, the whole 18 px at 16/18
        assertThat(most).isGreaterThan(0.33);
        assertThat(least).isLessThan(0.23);
        assertThat(Augment.parse("all,zoom")).isEqualTo(new Augment(true, true, true, true));
    }

    @Test
    void greyTurnsAFifthOfThePicturesToTheirLuma() throws Exception {
        // one red picture: grey makes it luma 0.299 in every channel, otherwise it stays red
        int side = Tensors.cropFrom(SIZE);
        byte[] px = new byte[side * side * 3];
        for (int p = 0; p < side * side; p++) {
            px[p * 3 + 2] = (byte) 255; // BGR
        }
        Path f = dir.resolve("red.png");
        Files.write(f, Images.png(new Image("red", side, side, 3, px)));
        ImageCache cache = new ImageCache(List.of(new Sample(f, "red", 0, 0, "g")), side, 1);
        Batches b = new Batches(cache, SIZE, CLASSES, net());
        SplittableRandom rnd = new SplittableRandom(5);
        int grey = 0, runs = 1000, plane = SIZE * SIZE;
        for (int k = 0; k < runs; k++) {
            float[] v = b.batch(new int[] {0}, 0, 1, Augment.parse("grey"), rnd).getFeatures().data().asFloat();
            if (v[0] < 0.5f) {
                assertThat(v[0]).isCloseTo(0.299f, within(1e-3f));
                assertThat(v[plane]).isCloseTo(0.299f, within(1e-3f));
                assertThat(v[2 * plane + plane - 1]).isCloseTo(0.299f, within(1e-3f));
                grey++;
            } else {
                assertThat(v[plane]).isZero();
            }
        }
        assertThat(grey / (double) runs).isCloseTo(Augment.GREY_SHARE, within(0.04));
        assertThat(Augment.parse("all,grey")).isEqualTo(new Augment(true, true, true, false, true));
    }

    private static double whiteShare(INDArray x) {
        float[] v = x.data().asFloat();
        int plane = SIZE * SIZE, white = 0;
        for (int p = 0; p < plane; p++) {
            white += v[p] > 0.5f ? 1 : 0;
        }
        return white / (double) plane;
    }

    @Test
    void theFlipTestAveragesThePictureAndItsMirrorImage() throws Exception {
        MultiLayerNetwork net = net();
        Batches b = new Batches(flat(), SIZE, CLASSES, net);
        INDArray x = b.batch(Batches.identity(N), 0, N, Augment.NONE, null).getFeatures();
        INDArray xm = b.batch(Batches.identity(N), 0, N, Augment.NONE, null, true).getFeatures();
        assertThat(Tensors.mirrored(x).equalsWithEps(xm, 1e-6)).isTrue();
        x.putScalar(new long[] {0, 0, 3, 1}, 1f); // not symmetric any more
        INDArray both = Nets.output(net, x, true), plain = net.output(x, false), mirror = net.output(Tensors.mirrored(x), false);
        assertThat(both.equalsWithEps(plain.add(mirror).muli(0.5), 1e-5)).isTrue();
        assertThat(plain.equalsWithEps(mirror, 1e-7)).isFalse();
    }

    @Test
    void theAverageFollowsTheWeightsWithItsDecay() {
        MultiLayerNetwork net = net();
        WeightAverage<MultiLayerNetwork> avg = new WeightAverage<>(net, 0.9, true);
        INDArray start = net.params().dup();
        net.params().addi(1);
        avg.update(net, 1000); // decay 0.9 (the ramp is past it)
        assertThat(avg.network().params().equalsWithEps(start.add(0.1), 1e-5)).isTrue();
    }

    @Test
    void distillationMixesTheTeachersSoftenedProbabilitiesIntoTheLabels() throws Exception {
        MultiLayerNetwork teacher = net();
        Batches b = new Batches(flat(), SIZE, CLASSES, teacher);
        DataSet batch = b.batch(Batches.identity(N), 0, N, Augment.NONE, null);
        float[] p = teacher.output(batch.getFeatures(), false).data().asFloat();
        float[] y = new Distillation(List.of(teacher), 0.7, 2).apply(batch).getLabels().data().asFloat();
        for (int i = 0; i < N; i++) {
            double norm = 0;
            for (int c = 0; c < CLASSES; c++) {
                norm += Math.sqrt(p[i * CLASSES + c]);
            }
            float sum = 0;
            for (int c = 0; c < CLASSES; c++) {
                double expected = 0.3 * (c == i % CLASSES ? 1 : 0) + 0.7 * Math.sqrt(p[i * CLASSES + c]) / norm;
                assertThat((double) y[i * CLASSES + c]).isCloseTo(expected, within(1e-5));
                sum += y[i * CLASSES + c];
            }
            assertThat(sum).isCloseTo(1f, within(1e-5f));
        }
    }

    @Test
    void severalTeachersAreAveragedBeforeTheirShareIsMixedIn() throws Exception {
        MultiLayerNetwork a = net(), b = net();
        b.params().muli(-1.5); // another network, so the mean differs from either
        Batches batches = new Batches(flat(), SIZE, CLASSES, a);
        DataSet batch = batches.batch(Batches.identity(N), 0, N, Augment.NONE, null);
        float[] pa = a.output(batch.getFeatures(), false).data().asFloat();
        float[] pb = b.output(batch.getFeatures(), false).data().asFloat();
        float[] y = new Distillation(List.of(a, b), 0.6, 1).apply(batch).getLabels().data().asFloat();
        double apart = 0;
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < CLASSES; c++) {
                int k = i * CLASSES + c;
                double expected = 0.4 * (c == i % CLASSES ? 1 : 0) + 0.6 * (pa[k] + pb[k]) / 2;
                assertThat((double) y[k]).isCloseTo(expected, within(1e-5));
                apart += Math.abs(pa[k] - pb[k]);
            }
        }
        assertThat(apart).as("the two teachers disagree").isGreaterThan(0.01);
    }

    @Test
    void aTeacherOfOtherLabelsIsRefusedInOneLine() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("teacher"));
        Loop.writeModel(folder.resolve("model.zip"), net(), false);
        new ModelMeta("classification", List.of("a", "b", "d", "c"), SIZE, ModelMeta.RGB01, null).write(folder.resolve("model.json"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Distillation.load(List.of(folder.resolve("model.zip")), List.of("a", "b", "c", "d"), SIZE, 0.5, 1))
                .hasMessage("--teacher " + folder.resolve("model.zip") + ": predicts 4 labels at 16 px; this run needs the dataset's 4 labels in the same order at 16 px");
        assertThat(Distillation.load(List.of(folder.resolve("model.zip")), List.of("a", "b", "d", "c"), SIZE, 0.5, 1)).isNotNull();
    }
}
