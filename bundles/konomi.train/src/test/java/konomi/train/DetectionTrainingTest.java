package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.train.Augment;
import konomi.api.train.CompositeOptions;
import konomi.api.train.EpochReport;
import konomi.api.train.Schedule;
import konomi.api.train.SplitSpec;
import konomi.api.train.TrainListener;
import konomi.api.train.TrainOptions;
import konomi.nn.detect.DetectorMeta;

/** A short detector training on a few composites: the loss falls and the network finds pasted faces. */
class DetectionTrainingTest {
    @TempDir
    Path dir;

    @Test
    void shortTrainingOnCompositesLowersTheLossAndFindsAPastedFace() throws Exception {
        Path data = dir.resolve("composites");
        new FaceCompositor().compose(CompositeOptions.builder(data).data(CompositeTest.DATA).count(12).seed(11).maxFaces(2).minSide(256)
                .maxSide(320).minFace(40).build(), null);
        List<EpochReport> epochs = new ArrayList<>();
        TrainListener listener = new TrainListener() {
            @Override
            public void epoch(EpochReport r) {
                epochs.add(r);
            }
        };
        TrainOptions o = TrainOptions.builder().forDetection().size(128).batch(8).epochs(20).patience(20).schedule(Schedule.CONSTANT)
                .learningRate(0.003).augment(Augment.NONE).split(SplitSpec.defaults().withSeed(3)).build();
        Path out = dir.resolve("run");
        new DetectionRun(data, out, o, listener, (init, l) -> null).run();

        assertThat(epochs).hasSize(20);
        assertThat(epochs.get(19).trainLoss()).isLessThan(0.5 * epochs.get(0).trainLoss());
        assertThat(out.resolve("model.zip")).isRegularFile();
        assertThat(DetectorMeta.isDetector(out.resolve("model.json"))).isTrue();
        assertThat(Files.readAllLines(out.resolve("train.csv"))).hasSize(21);

        // on the pictures it trained on, a short training must already put a box on a pasted face
        DetectorMeta meta = DetectorMeta.read(out.resolve("model.json"));
        MultiLayerNetwork net = Loop.restore(out.resolve("checkpoint.zip"), false);
        DetectionData d = DetectionData.read(data, List.of(), o.split());
        Map<String, List<Face>> found = DetectionRun.detect(net, meta, d.train(), 8, 0.05);
        Map<String, List<Box>> truth = DetectionRun.truth(d.train(), d.boxes());
        long hits = found.entrySet().stream().filter(e -> e.getValue().stream()
                .anyMatch(f -> truth.get(e.getKey()).stream().anyMatch(t -> t.iou(f.box()) >= 0.3))).count();
        assertThat(hits).as("training pictures with a face found").isGreaterThan(0);
    }
}
