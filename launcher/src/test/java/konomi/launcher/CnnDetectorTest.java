package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped CNN detectors (konomi.model.centre, the default, and konomi.model.yolo) in a real framework: swapped
 * with the cascade both ways, detector runs of both heads packed by model:package and hot-deployed, broken CNN
 * bundles reported FAILED.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CnnDetectorTest extends FrameworkTest {
    static final Path PLAIN = DetectionTest.PLAIN;
    static final Path PICTURE = PLAIN.resolve("jonathonyan_detect_03.jpg");
    /** The shipped model's train:run folder (model.zip + model.json), as a detector run leaves it. */
    static final Path RUN = Path.of("../bundles/konomi.model.yolo/model").toAbsolutePath().normalize();
    static final Path CENTRE_RUN = Path.of("../bundles/konomi.model.centre/model").toAbsolutePath().normalize();
    @TempDir
    static Path work;

    @BeforeAll
    static void startUpModelsLoaded() throws Exception {
        ModelBundleTest.registryCall((registry, api) -> api.loadClass("konomi.api.model.ModelRegistry").getMethod("idle").invoke(registry));
    }

    @Test
    @Order(1)
    void theCentreCnnIsTheDefaultAndDetectUseSwapsToTheCascadeYoloAndBack(@TempDir Path tmp) throws Exception {
        String list = shell.run("detect:list").out();
        assertThat(list).containsPattern("(?m)^\\*\\s+centre\\s+cnn\\s+1\\.2\\.0").containsPattern("(?m)^\\s+animeface\\s+cascade")
                .containsPattern("(?m)^\\s+yolo\\s+cnn\\s+1\\.1\\.0");
        TestShell.Result def = shell.run("score:run --scorer preference --out " + tmp.resolve("a") + " " + PICTURE);
        assertThat(def.status()).as(def.message()).isZero();
        String centre = Files.readString(tmp.resolve("a/results.json"));
        assertThat(centre).contains("\"detector\":{\"name\":\"centre\"");
        // the face labelled 69,41,153,125 in this picture, found by the centre head's network
        assertThat(boxes(centre)).anyMatch(b -> iou(b, new int[] {69, 41, 153, 125}) > 0.5);

        assertThat(shell.run("detect:use animeface").out()).contains("detector animeface 1.0.0 active");
        TestShell.Result cascade = shell.run("score:run --scorer preference --out " + tmp.resolve("b") + " " + PICTURE);
        assertThat(cascade.status()).as(cascade.message()).isZero();
        String json = Files.readString(tmp.resolve("b/results.json"));
        // the face the cascade finds in this picture
        assertThat(json).contains("\"detector\":{\"name\":\"animeface\"", "\"box\":[69,41,153,125]");

        assertThat(shell.run("detect:use yolo").out()).contains("detector yolo 1.1.0 active");
        assertThat(shell.run("detect:list").out()).containsPattern("(?m)^\\*\\s+yolo");
        TestShell.Result back = shell.run("detect:run " + PICTURE);
        assertThat(back.status()).as(back.message()).isZero();
        assertThat(back.out()).contains("detector yolo 1.1.0");
        // one run with another detector leaves the active one as it was
        TestShell.Result once = shell.run("detect:run --detector animeface " + PICTURE);
        assertThat(once.status()).as(once.message()).isZero();
        assertThat(once.out()).contains("detector animeface 1.0.0", "69,41,153,125@");
        assertThat(shell.run("detect:list").out()).containsPattern("(?m)^\\*\\s+yolo");
        TestShell.Result unknown = shell.run("detect:run --detector nope " + PICTURE);
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.message()).startsWith("no detector named 'nope'; installed: animeface, centre");
        assertThat(shell.run("detect:use auto").out()).contains("detector centre 1.2.0 active");
    }

    /** The face boxes of a results.json. */
    private static List<int[]> boxes(String json) {
        List<int[]> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"box\":\\[(\\d+),(\\d+),(\\d+),(\\d+)\\]").matcher(json);
        while (m.find()) {
            out.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))});
        }
        return out;
    }

    private static double iou(int[] a, int[] b) {
        double iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])), ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        double inter = iw * ih;
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
    }

    @Test
    @Order(2)
    void aDetectorRunPackedByModelPackageHotDeploysAsACnnDetector() throws Exception {
        Path jar = pack("yolotoo", RUN);
        assertThat(header(jar)).startsWith("detector;type=\"cnn\";name=\"yolotoo\";file=\"model/model.zip\";input=\"384x384x3\";head=\"yolo2\";stride=\"16\";anchors=");
        Path deployed = Jars.drop(jar, home.resolve("deploy"), "yolotoo.jar");
        assertThat(ModelBundleTest.settled(deployed)).contains("ACTIVE");
        assertThat(shell.run("detect:list").out()).containsPattern("(?m)^\\s+yolotoo\\s+cnn\\s+1\\.1\\.0");
        TestShell.Result eval = shell.run("detect:eval --detectors yolotoo,animeface " + PLAIN);
        assertThat(eval.status()).as(eval.message()).isZero();
        assertThat(eval.out()).contains("yolotoo", "animeface");
        Files.delete(deployed);
        assertThat(shell.awaitDetectors(d -> d.stream().noneMatch(p -> "yolotoo".equals(p.get("konomi.name"))), 10_000)).isNotNegative();

        // a centre-head run: no anchors in its header, its network found through the context class loader
        Path centreJar = pack("centretoo", CENTRE_RUN);
        assertThat(header(centreJar)).contains("input=\"384x384x3\";head=\"centre\";stride=\"16\";threshold=").doesNotContain("anchors");
        Path centreDeployed = Jars.drop(centreJar, home.resolve("deploy"), "centretoo.jar");
        assertThat(ModelBundleTest.settled(centreDeployed)).contains("ACTIVE");
        assertThat(shell.run("detect:use centretoo").out()).contains("detector centretoo 1.1.0 active");
        TestShell.Result run = shell.run("detect:run " + PICTURE);
        assertThat(run.status()).as(run.message()).isZero();
        assertThat(run.out()).contains("detector centretoo 1.1.0", "jonathonyan_detect_03.jpg");
        assertThat(shell.run("detect:use auto").status()).isZero();
        Files.delete(centreDeployed);
    }

    /** model:package of a detector run as version 1.1.0 of {@code name}. */
    private static Path pack(String name, Path run) throws Exception {
        Path out = work.resolve("packed");
        Files.createDirectories(out);
        TestShell.Result packed = shell.run("model:package --name " + name + " --version 1.1.0 --out " + out + " " + run);
        assertThat(packed.status()).as(packed.message()).isZero();
        return out.resolve("konomi.model." + name + "-1.1.0.jar");
    }

    private static String header(Path jar) throws Exception {
        try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
            return f.getManifest().getMainAttributes().getValue("Konomi-Model");
        }
    }

    @Test
    @Order(3)
    void aBrokenCnnBundleIsFailedWithItsReason() throws Exception {
        Path deploy = home.resolve("deploy");
        String header = "detector;type=cnn;name=badcnn;file=model/model.zip;input=384x384x3;stride=16;anchors=\"1:1,2:2\"";
        Path junk = Jars.drop(Jars.bundle(work.resolve("bad.jar"), "broken.cnn", "1.0.0", header,
                Map.of("model/model.zip", "not a zip".getBytes(StandardCharsets.UTF_8))), deploy, "badcnn.jar");
        Path wrongAnchors = Jars.drop(Jars.bundle(work.resolve("anchors.jar"), "broken.anchors", "1.0.0",
                header.replace("badcnn", "twoanchors"), Map.of("model/model.zip", Files.readAllBytes(RUN.resolve("model.zip")))),
                deploy, "twoanchors.jar");
        assertThat(ModelBundleTest.settled(junk)).contains("FAILED");
        assertThat(ModelBundleTest.settled(wrongAnchors)).contains("FAILED");
        String list = shell.run("model:list").out();
        assertThat(list).containsPattern("badcnn .*FAILED\\s+deploy/badcnn.jar .*model/model.zip in broken.cnn: not a DL4J model zip");
        assertThat(list).containsPattern("twoanchors .*FAILED\\s+deploy/twoanchors.jar .*model/model.zip in broken.anchors: the layer before"
                + " the output has 30 outputs but the header's 2 anchors need 12");
        assertThat(shell.run("detect:list").out()).doesNotContain("badcnn", "twoanchors");
    }

    @Test
    @Order(4)
    void badCnnConfigurationFailsDetectionNamingTheFile() throws Exception {
        assertThat(shell.run("detect:use yolo").status()).isZero();
        String detect = "detect:run " + PICTURE;
        Path cfg = home.resolve("etc/konomi.detect.cnn.cfg");
        TestShell.Result[] last = new TestShell.Result[1];
        Files.writeString(cfg, "threshold=1.5\n");
        try {
            // FileInstall hands the file to ConfigAdmin, the factory's @Modified sees it: re-try on events
            shell.runtime.await(() -> (last[0] = shell.run(detect)).status() != 0, 10_000);
            assertThat(last[0].status()).isEqualTo(1);
            assertThat(last[0].message()).isEqualTo(cfg.toRealPath() + ": detector threshold must be in [0, 1], not 1.5");
        } finally {
            Files.delete(cfg);
        }
        assertThat(shell.runtime.await(() -> shell.run(detect).status() == 0, 10_000)).as("detection works again").isTrue();
    }
}
