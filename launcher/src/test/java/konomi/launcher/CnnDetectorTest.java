package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped CNN detector (konomi.model.yolo) in a real framework: the default detector, swapped with the cascade
 * both ways, a detector run packed by model:package and hot-deployed, a broken CNN bundle reported FAILED.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CnnDetectorTest extends FrameworkTest {
    static final Path PLAIN = DetectionTest.PLAIN;
    static final Path PICTURE = PLAIN.resolve("jonathonyan_detect_03.jpg");
    /** The shipped model's train:run folder (model.zip + model.json), as a detector run leaves it. */
    static final Path RUN = Path.of("../bundles/konomi.model.yolo/model").toAbsolutePath().normalize();
    @TempDir
    static Path work;

    @BeforeAll
    static void startUpModelsLoaded() throws Exception {
        ModelBundleTest.registryCall((registry, api) -> api.loadClass("konomi.api.model.ModelRegistry").getMethod("idle").invoke(registry));
    }

    @Test
    @Order(1)
    void theCascadeIsTheDefaultAndDetectUseSwapsToYoloAndBack(@TempDir Path tmp) throws Exception {
        String list = shell.run("detect:list").out();
        assertThat(list).containsPattern("(?m)^\\*\\s+animeface\\s+cascade").containsPattern("(?m)^\\s+yolo\\s+cnn\\s+1\\.0\\.0");
        assertThat(shell.run("detect:use yolo").out()).contains("detector yolo 1.0.0 active");
        TestShell.Result def = shell.run("score:run --scorer preference --out " + tmp.resolve("a") + " " + PICTURE);
        assertThat(def.status()).as(def.message()).isZero();
        assertThat(Files.readString(tmp.resolve("a/results.json"))).contains("\"detector\":{\"name\":\"yolo\"");

        assertThat(shell.run("detect:use animeface").out()).contains("detector animeface 1.0.0 active");
        TestShell.Result cascade = shell.run("score:run --scorer preference --out " + tmp.resolve("b") + " " + PICTURE);
        assertThat(cascade.status()).as(cascade.message()).isZero();
        String json = Files.readString(tmp.resolve("b/results.json"));
        // the face the cascade finds in this picture, labelled 69,41,153,125
        assertThat(json).contains("\"detector\":{\"name\":\"animeface\"", "\"box\":[69,41,153,125]");

        assertThat(shell.run("detect:use yolo").out()).contains("detector yolo 1.0.0 active");
        assertThat(shell.run("detect:list").out()).containsPattern("(?m)^\\*\\s+yolo");
        TestShell.Result back = shell.run("detect:run " + PICTURE);
        assertThat(back.status()).as(back.message()).isZero();
        assertThat(back.out()).contains("detector yolo 1.0.0");
        assertThat(shell.run("detect:use auto").out()).contains("detector animeface 1.0.0 active");
    }

    @Test
    @Order(2)
    void aDetectorRunPackedByModelPackageHotDeploysAsACnnDetector() throws Exception {
        Path out = work.resolve("packed");
        Files.createDirectories(out);
        TestShell.Result packed = shell.run("model:package --name yolotoo --version 1.1.0 --out " + out + " " + RUN);
        assertThat(packed.status()).as(packed.message()).isZero();
        Path jar = out.resolve("konomi.model.yolotoo-1.1.0.jar");
        String header = new java.util.jar.JarFile(jar.toFile()).getManifest().getMainAttributes().getValue("Konomi-Model");
        assertThat(header).startsWith("detector;type=\"cnn\";name=\"yolotoo\";file=\"model/model.zip\";input=\"384x384x3\";head=\"yolo2\";stride=\"16\";anchors=");

        Path deployed = Jars.drop(jar, home.resolve("deploy"), "yolotoo.jar");
        assertThat(ModelBundleTest.settled(deployed)).contains("ACTIVE");
        assertThat(shell.run("detect:list").out()).containsPattern("(?m)^\\s+yolotoo\\s+cnn\\s+1\\.1\\.0");
        TestShell.Result eval = shell.run("detect:eval --detectors yolotoo,animeface " + PLAIN);
        assertThat(eval.status()).as(eval.message()).isZero();
        assertThat(eval.out()).contains("yolotoo", "animeface");
        Files.delete(deployed);
        assertThat(shell.awaitDetectors(d -> d.stream().noneMatch(p -> "yolotoo".equals(p.get("konomi.name"))), 10_000)).isNotNegative();
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
