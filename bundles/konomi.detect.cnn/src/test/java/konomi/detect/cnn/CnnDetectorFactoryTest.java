package konomi.detect.cnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.schedule.FixedSchedule;

import konomi.api.Face;
import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;
import konomi.imaging.Images;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;
import konomi.nn.detect.DetectorMeta;
import konomi.nn.detect.DetectorNets;

/** The factory's checks of a model zip against its header, and detection with a small untrained network. */
class CnnDetectorFactoryTest {
    /** A small input keeps the network fast; the checks do not depend on the size. */
    static final DetectorMeta META = new DetectorMeta(128, 16, new double[][] {{1, 1}, {2.5, 2.5}, {5, 4.5}}, 0.3, 0.4);
    static final Path PICTURES = Path.of(System.getProperty("konomi.shared", "../../../shared"), "data", "anime_illustrations_plain");

    @TempDir
    static Path dir;
    static final DetectorMeta CENTRE = DetectorMeta.centre(128, 16, 0.3, 0.4);
    static Path yolo, centre;

    @BeforeAll
    static void network() throws IOException {
        yolo = dir.resolve("yolo.zip");
        ModelSerializer.writeModel(DetectorNets.yolo(META, 1, new FixedSchedule(1e-3), 0), yolo.toFile(), false);
        centre = dir.resolve("centre.zip");
        ModelSerializer.writeModel(DetectorNets.centre(CENTRE, 1, new FixedSchedule(1e-3), 0), centre.toFile(), false);
    }

    @Test
    void aCentreHeadNetworkIsAcceptedAndDetectsInsideThePicture() {
        CnnDetectorFactory f = factory(Map.of("threshold", "0.05"));
        FaceDetector d = f.create(descriptor(CENTRE, Map.of()), centre);
        try {
            Image image = new Image("grey", 300, 200, 3, new byte[300 * 200 * 3]);
            // an untrained head's heatmap starts near its 0.1 prior: above 0.05 everywhere, so every peak is reported
            List<Face> faces = d.detect(image);
            assertThat(faces).isNotEmpty().allSatisfy(x -> {
                assertThat(x.box().x2()).isBetween(x.box().x1() + 1, 300);
                assertThat(x.box().y2()).isBetween(x.box().y1() + 1, 200);
            });
        } finally {
            f.dispose(d);
        }
    }

    @Test
    void aHeaderNamingTheWrongHeadIsRefused() {
        assertThatThrownBy(() -> factory(Map.of()).create(descriptor(CENTRE, Map.of()), yolo))
                .isInstanceOf(KonomiException.class)
                .hasMessage("model/model.zip in konomi.model.tiny: not a centre-head detector (its last layer is Yolo2OutputLayer, not "
                        + "CnnLossLayer with CentreLoss); is the header's head= right?");
        assertThatThrownBy(() -> factory(Map.of()).create(descriptor(META, Map.of()), centre))
                .isInstanceOf(KonomiException.class).hasMessageContaining("not a YOLO detector (its last layer is CnnLossLayer");
    }

    static ModelDescriptor descriptor(DetectorMeta meta, Map<String, String> extra) {
        Map<String, String> attrs = new HashMap<>(meta.headerAttributes());
        String input = attrs.remove("input");
        attrs.putAll(extra);
        return new ModelDescriptor("detector", "cnn", "tiny", "1.0.0", "model/model.zip", input, attrs, "konomi.model.tiny", "test:tiny");
    }

    private static CnnDetectorFactory factory(Map<String, Object> config) {
        CnnDetectorFactory f = new CnnDetectorFactory();
        f.configure(config);
        return f;
    }

    @Test
    void aMatchingNetworkIsAcceptedWithoutLoadingItsWeights() {
        FaceDetector d = factory(Map.of()).create(descriptor(META, Map.of()), yolo);
        assertThat(d.name()).isEqualTo("tiny");
        assertThat(((CnnFaceDetector) d).meta().anchors()).hasDimensions(3, 2);
    }

    @Test
    void anotherAnchorCountIsRefusedNamingFileAndBundle() {
        DetectorMeta five = new DetectorMeta(128, 16, new double[][] {{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}}, 0.3, 0.4);
        assertThatThrownBy(() -> factory(Map.of()).create(descriptor(five, Map.of()), yolo))
                .isInstanceOf(KonomiException.class)
                .hasMessage("model/model.zip in konomi.model.tiny: the layer before the output has 18 outputs but the header's 5 anchors"
                        + " need 30 (5 box values + 1 class each)");
    }

    @Test
    void otherAnchorValuesAreRefused() {
        DetectorMeta other = new DetectorMeta(128, 16, new double[][] {{1, 1}, {2.5, 2.5}, {6, 4.5}}, 0.3, 0.4);
        assertThatThrownBy(() -> factory(Map.of()).create(descriptor(other, Map.of()), yolo))
                .isInstanceOf(KonomiException.class).hasMessageContaining("konomi.model.tiny").hasMessageContaining("anchors differ");
    }

    @Test
    void anotherStrideIsRefused() {
        DetectorMeta s32 = new DetectorMeta(128, 32, META.anchors(), 0.3, 0.4);
        assertThatThrownBy(() -> factory(Map.of()).create(descriptor(s32, Map.of()), yolo))
                .isInstanceOf(KonomiException.class).hasMessageEndingWith("output stride is 16 but the header says stride=32");
    }

    @Test
    void aFileThatIsNoZipIsRefused() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.zip"), "not a zip at all");
        assertThatThrownBy(() -> factory(Map.of()).create(descriptor(META, Map.of()), junk))
                .isInstanceOf(KonomiException.class)
                .hasMessageStartingWith("model/model.zip in konomi.model.tiny: not a DL4J model zip")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aScorerNetworkIsRefused() throws IOException {
        Path scorer = dir.resolve("scorer.zip");
        MultiLayerNetwork net = Nets.faceNet(new ModelMeta("classification", List.of("a", "b"), 32, ModelMeta.RGB01, null), 1,
                new FixedSchedule(1e-3), 0);
        ModelSerializer.writeModel(net, scorer.toFile(), false);
        assertThatThrownBy(() -> factory(Map.of()).create(descriptor(META, Map.of()), scorer))
                .isInstanceOf(KonomiException.class)
                .hasMessage("model/model.zip in konomi.model.tiny: not a YOLO detector (its last layer is OutputLayer, not Yolo2OutputLayer)");
    }

    @Test
    void aBadHeaderIsRefusedNamingTheBundle() {
        assertThatThrownBy(() -> factory(Map.of()).create(descriptor(META, Map.of("anchors", "1:1,2")), yolo))
                .isInstanceOf(KonomiException.class).hasMessage("konomi.model.tiny: Konomi-Model anchor '2' is not w:h");
    }

    @Test
    void facesOfARealPictureLieInsideIt() throws Exception {
        Path file;
        try (var s = Files.list(PICTURES)) {
            file = s.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
        }
        Image image = Images.decode(file.toString(), Files.readAllBytes(file));
        // an untrained network's confidences are near chance: a low threshold makes it report boxes to check
        CnnDetectorFactory f = factory(Map.of("threshold", "0.05"));
        FaceDetector d = f.create(descriptor(META, Map.of()), yolo);
        try {
            List<Face> faces = d.detect(image);
            assertThat(faces).isNotEmpty();
            for (Face face : faces) {
                assertThat(face.box().x1()).isBetween(0, image.width());
                assertThat(face.box().x2()).isBetween(face.box().x1() + 1, image.width());
                assertThat(face.box().y1()).isBetween(0, image.height());
                assertThat(face.box().y2()).isBetween(face.box().y1() + 1, image.height());
                assertThat(face.confidence()).isBetween(0.05, 1.0);
            }
            for (int i = 1; i < faces.size(); i++) {
                assertThat(faces.get(i).confidence()).isLessThanOrEqualTo(faces.get(i - 1).confidence());
            }
            // the configuration applies to the next detection: a higher threshold keeps a subset
            f.configure(Map.of("threshold", 0.9));
            assertThat(d.detect(image)).hasSizeLessThanOrEqualTo(faces.size()).allSatisfy(x -> assertThat(x.confidence()).isGreaterThanOrEqualTo(0.9));
            f.configure(Map.of("threshold", "0.05"));

            // several threads at once get what one thread got
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<List<Face>>> all = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    all.add(pool.submit(() -> d.detect(image)));
                }
                for (Future<List<Face>> r : all) {
                    assertThat(r.get()).isEqualTo(faces);
                }
            } finally {
                pool.shutdown();
            }
        } finally {
            f.dispose(d);
        }
        assertThatThrownBy(() -> d.detect(image)).isInstanceOf(KonomiException.class).hasMessageContaining("unloaded");
    }

    @Test
    void badConfigurationValuesFailNamingTheFile() {
        CnnDetectorFactory f = factory(Map.of("threshold", "high", "felix.fileinstall.filename", "file:/home/u/etc/konomi.detect.cnn.cfg"));
        FaceDetector d = f.create(descriptor(META, Map.of()), yolo);
        Image image = new Image("grey", 64, 48, 3, new byte[64 * 48 * 3]);
        assertThatThrownBy(() -> d.detect(image)).isInstanceOf(KonomiException.class)
                .hasMessage("/home/u/etc/konomi.detect.cnn.cfg: threshold is not a number: 'high'");
        f.configure(Map.of("nms", 0, "felix.fileinstall.filename", "file:/home/u/etc/konomi.detect.cnn.cfg"));
        assertThatThrownBy(() -> d.detect(image)).isInstanceOf(KonomiException.class)
                .hasMessage("/home/u/etc/konomi.detect.cnn.cfg: detector nms must be in (0, 1], not 0.0");
        f.dispose(d);
    }
}
