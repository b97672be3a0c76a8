package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.schedule.FixedSchedule;

import konomi.api.Image;
import konomi.api.train.EpochReport;
import konomi.api.train.PretrainOptions;
import konomi.api.train.PretrainResult;
import konomi.imaging.Images;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;

/** train:ssl: contrastive pretraining writes a base network that fine-tuning starts from, resumes, and leaves held-back pictures out. */
class PretrainTest {
    @TempDir
    Path dir;
    final Heard listener = new Heard();
    final List<String> said = listener.said;
    final List<EpochReport> epochs = listener.epochs;

    /** 24 noisy pictures of random colours in nested folders, and one that is not a picture. */
    Path pictures() throws Exception {
        SplittableRandom rnd = new SplittableRandom(5);
        int side = 24;
        for (int i = 0; i < 24; i++) {
            Path d = Files.createDirectories(dir.resolve("faces/part" + i % 2));
            byte[] px = new byte[side * side * 3];
            int r = rnd.nextInt(256), g = rnd.nextInt(256), b = rnd.nextInt(256);
            for (int p = 0; p < px.length; p += 3) {
                px[p] = (byte) (r + rnd.nextInt(40) - 20);
                px[p + 1] = (byte) (g + rnd.nextInt(40) - 20);
                px[p + 2] = (byte) (b + rnd.nextInt(40) - 20);
            }
            Files.write(d.resolve(i + ".png"), Images.png(new Image("p" + i, side, side, 3, px)));
        }
        Files.writeString(dir.resolve("faces/part0/broken.jpg"), "not a picture");
        return dir.resolve("faces");
    }

    @Test
    void pretrainsResumesAndTheBaseIsAStartForAClassifier() throws Exception {
        Path faces = pictures(), out = dir.resolve("base");
        // a run's recorded split holding back two of the pictures
        Files.writeString(dir.resolve("split.json"), "{\"dataset\":\"" + faces + "\",\"seed\":42,\"validation_files\":[{\"file\":\"part0/0.png\"}],"
                + "\"test_files\":[{\"file\":\"part1/1.png\"}]}");
        PretrainOptions o = PretrainOptions.defaults().withEpochs(2).withBatch(8).withSize(24).withNet("face").withExclude(List.of(dir.resolve("split.json")));
        // and a box dataset: one picture with two labelled faces, each cropped with score:run's margin
        Path boxes = Files.createDirectories(dir.resolve("boxes"));
        byte[] px = new byte[80 * 40 * 3];
        new SplittableRandom(9).nextBytes(px);
        Files.write(boxes.resolve("two.png"), Images.png(new Image("two", 80, 40, 3, px)));
        Files.writeString(boxes.resolve("boxes.csv"), "file,x1,y1,x2,y2\ntwo.png,4,4,30,30\ntwo.png,44,8,70,34\n");
        PretrainResult r = new ContrastivePretraining().pretrain(List.of(faces, boxes), out, o, listener);
        assertThat(said).contains("25 faces from 2 folders (2 held back by --exclude); loading at 27 px");
        assertThat(r.pictures()).isEqualTo(24);
        assertThat(r.excluded()).isEqualTo(2);
        assertThat(r.skipped()).singleElement().asString().contains("broken.jpg");
        assertThat(r.epochs()).isEqualTo(2);
        assertThat(r.pairAccuracy()).isBetween(0.0, 1.0);
        assertThat(epochs).hasSize(2);
        assertThat(Files.readString(out.resolve("pretrain.json"))).contains("\"pictures\" : 24", "\"excluded\" : 2", "NT-Xent", "\"history\"");

        // the base ends in a placeholder output of one value; fine-tuning replaces it with its own head
        Model base = Nets.restoreModel(r.model().toFile(), false);
        assertThat(Nets.outputs(base)).isEqualTo(1);
        MultiLayerNetwork classifier = Nets.fromBase((MultiLayerNetwork) base, new ModelMeta("classification", List.of("x", "y", "z"), 24,
                ModelMeta.RGB01, null), 1, new FixedSchedule(1e-3), 0, false);
        assertThat(Nets.outputs(classifier)).isEqualTo(3);
        assertThat(classifier.getnLayers()).isEqualTo(((MultiLayerNetwork) base).getnLayers());

        new ContrastivePretraining().pretrain(List.of(faces, boxes), out, o.withEpochs(3), listener);
        assertThat(said).contains("resuming after epoch 2");
        assertThat(epochs).hasSize(3);
        assertThat(epochs.get(2).epoch()).isEqualTo(3);
    }

    @Test
    void aBoxDatasetsFacesAreCroppedWithTheScoringMargin() throws Exception {
        // left half black, right half white; the face box well inside the white half, so its margin stays white too
        byte[] px = new byte[100 * 50 * 3];
        for (int y = 0; y < 50; y++) {
            java.util.Arrays.fill(px, (y * 100 + 50) * 3, (y * 100 + 100) * 3, (byte) 255);
        }
        Path boxes = Files.createDirectories(dir.resolve("boxes"));
        Files.write(boxes.resolve("half.png"), Images.png(new Image("half", 100, 50, 3, px)));
        Files.writeString(boxes.resolve("boxes.csv"), "file,x1,y1,x2,y2\nhalf.png,65,15,85,35\n");
        List<Sample> faces = ContrastivePretraining.pictures(boxes);
        assertThat(faces).singleElement().satisfies(f -> assertThat(f.id()).isEqualTo("boxes/half.png#1"));
        ImageCache cache = new ImageCache(faces, 16, 1);
        for (byte b : cache.pixels.get(0)) {
            assertThat(b & 0xFF).isEqualTo(255);
        }
    }

    @Test
    void badSourcesAndExclusionsAreOneLineErrors() throws Exception {
        PretrainOptions o = PretrainOptions.defaults().withEpochs(1).withSize(24);
        assertThatThrownBy(() -> new ContrastivePretraining().pretrain(List.of(dir.resolve("nope")), dir.resolve("o"), o, listener))
                .hasMessage(dir.resolve("nope") + ": no such folder");
        Path faces = pictures();
        assertThatThrownBy(() -> new ContrastivePretraining().pretrain(List.of(faces), dir.resolve("o"), o.withExclude(List.of(dir.resolve("run"))), listener))
                .hasMessage(dir.resolve("run") + ": no such file (--exclude takes train:run folders or their split.json)");
        Files.createDirectories(dir.resolve("run"));
        assertThatThrownBy(() -> new ContrastivePretraining().pretrain(List.of(faces), dir.resolve("o"), o.withExclude(List.of(dir.resolve("run"))), listener))
                .hasMessage(dir.resolve("run/split.json") + ": no such recorded split (--exclude takes train:run folders or their split.json)");
    }
}
