package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model bundles in a running framework: packed with bndlib by model:package, hot-deployed through
 * deploy/, replaced by a newer version, swapped with detect:use, removed; broken ones reported.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelBundleTest extends FrameworkTest {
    static final Path CASCADE = TestShell.SHARED.resolve("models/lbpcascade_animeface/lbpcascade_animeface.xml");
    static final Path PLAIN = DetectionTest.PLAIN;
    @TempDir
    static Path work;

    @Test
    @Order(1)
    void aBundleDroppedIntoDeployBecomesADetectorThenSwapsInWithDetectUse() throws Exception {
        Path v1 = work.resolve("v1");
        Files.createDirectories(v1);
        TestShell.Result packed = shell.run("model:package --name strict --version 1.0.0 --params minNeighbors=12 --out " + v1 + " " + CASCADE);
        assertThat(packed.status()).as(packed.message()).isZero();
        Path jar = v1.resolve("konomi.model.strict-1.0.0.jar");
        assertThat(jar).exists();

        Jars.drop(jar, home.resolve("deploy"), "strict.jar");
        long ms = shell.awaitDetectors(d -> names(d).contains("strict"), 10_000);
        System.out.println("[hot deploy] new detector usable after " + ms + " ms");
        assertThat(ms).as("detector from deploy/ registered").isNotNegative();
        assertThat(shell.run("detect:list").out()).contains("strict", "animeface");

        int defaultFaces = faces(shell.run("detect:run " + PLAIN));
        TestShell.Result use = shell.run("detect:use strict");
        assertThat(use.status()).as(use.message()).isZero();
        assertThat(home.resolve("etc/konomi.detect.cfg")).content().contains("konomi.name\\=strict");
        TestShell.Result strict = shell.run("detect:run " + PLAIN);
        assertThat(strict.out()).contains("detector strict 1.0.0");
        assertThat(faces(strict)).isLessThan(defaultFaces);
        assertThat(shell.run("detect:list").out()).containsPattern("(?m)^\\*\\s+strict");
    }

    @Test
    @Order(2)
    void aNewerVersionReplacesTheOldOneWithoutRestart() throws Exception {
        Path v2 = work.resolve("v2");
        Files.createDirectories(v2);
        assertThat(shell.run("model:package -n strict -v 1.1.0 -p minNeighbors=1 -o " + v2 + " " + CASCADE).status()).isZero();
        Jars.drop(v2.resolve("konomi.model.strict-1.1.0.jar"), home.resolve("deploy"), "strict.jar");
        long ms = shell.awaitDetectors(d -> d.stream().anyMatch(p -> "strict".equals(p.get("konomi.name")) && "1.1.0".equals(p.get("konomi.version")))
                && d.stream().noneMatch(p -> "1.0.0".equals(p.get("konomi.version")) && "strict".equals(p.get("konomi.name"))), 10_000);
        System.out.println("[hot deploy] replacement active after " + ms + " ms");
        assertThat(ms).isNotNegative();
        TestShell.Result r = shell.run("detect:run " + PLAIN);
        assertThat(r.out()).contains("detector strict 1.1.0");
        assertThat(faces(r)).isGreaterThan(30); // minNeighbors=1 finds more (and some false) faces
    }

    @Test
    @Order(3)
    void removingTheActiveDetectorFailsClearlyUntilAnotherIsChosen() throws Exception {
        Files.delete(home.resolve("deploy/strict.jar"));
        assertThat(shell.awaitDetectors(d -> !names(d).contains("strict"), 10_000)).isNotNegative();
        TestShell.Result r = shell.run("detect:run " + PLAIN);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.message()).contains("strict").contains("not installed");
        assertThat(shell.run("detect:use animeface").status()).isZero();
        assertThat(shell.run("detect:run " + PLAIN).out()).contains("detector animeface");
    }

    @Test
    @Order(4)
    void brokenModelBundlesAreReportedAndNothingElseBreaks() throws Exception {
        Path deploy = home.resolve("deploy");
        Jars.drop(Jars.bundle(work.resolve("a.jar"), "broken.noname", "1.0.0", "detector;type=cascade;file=model/x.xml",
                Map.of("model/x.xml", new byte[] {1})), deploy, "noname.jar");
        Jars.drop(Jars.bundle(work.resolve("b.jar"), "broken.garbage", "1.0.0", "detector;type=cascade;name=garbage;file=model/x.xml",
                Map.of("model/x.xml", "<opencv_storage><not-a-cascade/></opencv_storage>".getBytes(StandardCharsets.UTF_8))), deploy, "garbage.jar");
        Jars.drop(Jars.bundle(work.resolve("c.jar"), "broken.missing", "1.0.0", "detector;type=cascade;name=missing;file=model/nope.xml",
                Map.of()), deploy, "missing.jar");
        String list = "";
        for (int i = 0; i < 100 && !(list.contains("noname.jar") && list.contains("garbage.jar") && list.contains("missing.jar")); i++) {
            Thread.sleep(100);
            list = shell.run("model:list").out();
        }
        assertThat(list).containsPattern("FAILED\\s+deploy/noname.jar\\s+Konomi-Model header has no name=");
        assertThat(list).containsPattern("garbage .*FAILED\\s+deploy/garbage.jar .*not an OpenCV cascade classifier file");
        assertThat(list).containsPattern("missing .*FAILED\\s+deploy/missing.jar .*model file model/nope.xml is missing");
        assertThat(shell.detectors()).extracting(p -> p.get("konomi.name")).containsExactly("animeface");
        assertThat(shell.run("detect:run " + PLAIN).status()).isZero();

        TestShell.Result notModel = shell.run("model:install " + Jars.bundle(work.resolve("plain.jar"), "just.a.bundle", "1.0.0", null, Map.of()));
        assertThat(notModel.status()).isEqualTo(1);
        assertThat(notModel.message()).endsWith("plain.jar: not a model bundle (no Konomi-Model header)");
    }

    @Test
    @Order(5)
    void modelInstallPacksACascadeFileAndWaitsUntilItIsActive() throws Exception {
        Path xml = work.resolve("my-faces.xml");
        Files.copy(CASCADE, xml);
        TestShell.Result r = shell.run("model:install " + xml);
        assertThat(r.status()).as(r.message()).isZero();
        assertThat(r.out()).contains("my-faces 1.0.0 ACTIVE");
        assertThat(names(shell.detectors())).contains("my-faces");
    }

    static List<Object> names(List<Map<String, Object>> detectors) {
        return detectors.stream().map(p -> p.get("konomi.name")).toList();
    }

    static int faces(TestShell.Result r) {
        Matcher m = Pattern.compile("(\\d+) images, (\\d+) faces").matcher(r.out());
        assertThat(m.find()).as(r.out() + r.message()).isTrue();
        return Integer.parseInt(m.group(2));
    }
}
