package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
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

    /** Hot-deploy times are measured once the models of start-up are loaded (the extender loads in the background). */
    @BeforeAll
    static void startUpModelsLoaded() throws Exception {
        // the comparisons below are against the cascade (whatever the default detector is)
        useCascade();
    }

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
        for (String f : List.of("noname.jar", "garbage.jar", "missing.jar")) {
            assertThat(settled(deploy.resolve(f))).as(f).contains("FAILED");
        }
        String list = shell.run("model:list").out();
        assertThat(list).containsPattern("FAILED\\s+deploy/noname.jar\\s+Konomi-Model header has no name=");
        assertThat(list).containsPattern("garbage .*FAILED\\s+deploy/garbage.jar .*not an OpenCV cascade classifier file");
        assertThat(list).containsPattern("missing .*FAILED\\s+deploy/missing.jar .*model file model/nope.xml is missing");
        assertThat(shell.detectors()).extracting(p -> p.get("konomi.name")).containsExactlyInAnyOrder("animeface", "centre", "yolo");
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

    @Test
    @Order(6)
    void filesInDeployThatAreNoBundlesAreListedAsFailedUntilDeletedOrFixed() throws Exception {
        Path deploy = home.resolve("deploy");
        Path plain = work.resolve("plain.zip");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(plain))) {
            z.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            z.write("no manifest here".getBytes(StandardCharsets.UTF_8));
        }
        Path corrupt = Files.write(work.resolve("corrupt.bin"), "PK\u0003\u0004 half a zip".getBytes(StandardCharsets.ISO_8859_1));
        Path noBsn = Jars.bundle(work.resolve("nobsn.jar"), "x", "1.0.0", null, Map.of());
        rewriteManifest(noBsn, "Manifest-Version: 1.0\nBundle-Version: 1.0.0\n");
        Jars.drop(plain, deploy, "plain.jar");
        Jars.drop(corrupt, deploy, "corrupt.jar");
        Jars.drop(noBsn, deploy, "nobsn.jar");
        for (String f : List.of("plain.jar", "corrupt.jar", "nobsn.jar")) {
            assertThat(settled(deploy.resolve(f))).as(f).contains("FAILED");
        }
        String list = shell.run("model:list").out();
        assertThat(list).containsPattern("FAILED\\s+deploy/plain.jar\\s+not an OSGi bundle \\(no META-INF/MANIFEST.MF\\)");
        assertThat(list).containsPattern("FAILED\\s+deploy/corrupt.jar\\s+not a jar \\(corrupt zip: ");
        assertThat(list).containsPattern("FAILED\\s+deploy/nobsn.jar\\s+not an OSGi bundle \\(no Bundle-SymbolicName");
        assertThat(shell.run("detect:run " + PLAIN).status()).as("nothing else disturbed").isZero();

        // deleted: gone from the list; fixed: FileInstall installs the bundle that is there now
        Files.delete(deploy.resolve("plain.jar"));
        assertThat(awaitList(l -> !l.contains("plain.jar"), 10_000)).isNotNegative();
        Path fixed = work.resolve("fixed");
        Files.createDirectories(fixed);
        assertThat(shell.run("model:package -n fixed -o " + fixed + " " + CASCADE).status()).isZero();
        Jars.drop(fixed.resolve("konomi.model.fixed-1.0.0.jar"), deploy, "corrupt.jar");
        assertThat(shell.awaitDetectors(d -> names(d).contains("fixed"), 10_000)).isNotNegative();
        assertThat(awaitList(l -> l.matches("(?s).*fixed\\s+detector\\s+cascade\\s+1.0.0\\s+ACTIVE\\s+deploy/corrupt.jar.*"), 10_000))
                .isNotNegative();
        Files.delete(deploy.resolve("corrupt.jar"));
        Files.delete(deploy.resolve("nobsn.jar"));
        assertThat(awaitList(l -> !l.contains("corrupt.jar") && !l.contains("nobsn.jar"), 10_000)).isNotNegative();
        assertThat(shell.awaitDetectors(d -> !names(d).contains("fixed"), 10_000)).isNotNegative();
    }

    @Test
    @Order(7)
    void aCascadeXmlDroppedIntoDeployBecomesADetectorUntilDeleted() throws Exception {
        Path deploy = home.resolve("deploy");
        Jars.drop(CASCADE, deploy, "dropped-faces.xml");
        long ms = shell.awaitDetectors(d -> names(d).contains("dropped-faces"), 10_000);
        System.out.println("[hot deploy] cascade xml usable after " + ms + " ms");
        assertThat(ms).isNotNegative();
        assertThat(settled(deploy.resolve("dropped-faces.xml"))).contains("ACTIVE");
        assertThat(shell.run("detect:list").out()).contains("dropped-faces");
        assertThat(shell.run("model:list").out())
                .containsPattern("dropped-faces\\s+detector\\s+cascade\\s+1.0.0\\s+ACTIVE\\s+deploy/dropped-faces.xml");
        assertThat(shell.run("detect:use dropped-faces").status()).isZero();
        assertThat(shell.run("detect:run " + PLAIN).out()).contains("detector dropped-faces 1.0.0");
        assertThat(shell.run("detect:use animeface").status()).isZero();

        // the same file, no longer a cascade: the detector goes, the file is reported
        Path notCascade = Files.writeString(work.resolve("nc.xml"), "<opencv_storage><not-a-cascade/></opencv_storage>");
        Jars.drop(notCascade, deploy, "dropped-faces.xml");
        assertThat(shell.awaitDetectors(d -> !names(d).contains("dropped-faces"), 10_000)).isNotNegative();
        assertThat(awaitList(l -> l.matches("(?s).*FAILED\\s+deploy/dropped-faces.xml\\s+not an OpenCV cascade.*"), 10_000))
                .as(shell.run("model:list").out()).isNotNegative();

        Files.delete(deploy.resolve("dropped-faces.xml"));
        assertThat(awaitList(l -> !l.contains("dropped-faces"), 10_000)).isNotNegative();
        assertThat(shell.run("detect:list").out()).doesNotContain("dropped-faces");
    }

    @Test
    @Order(8)
    void modelServicesBelongToTheModelBundleWhichIsWiredToTheExtender() throws Exception {
        org.osgi.framework.BundleContext ctx = shell.runtime.context();
        org.osgi.framework.ServiceReference<?>[] refs = ctx.getAllServiceReferences("konomi.api.FaceDetector", null);
        assertThat(refs).isNotEmpty();
        for (org.osgi.framework.ServiceReference<?> r : refs) {
            org.osgi.framework.Bundle b = r.getBundle();
            assertThat(b.getBundleId()).isEqualTo(r.getProperty("konomi.model.bundle.id"));
            assertThat(b.getSymbolicName()).isEqualTo(r.getProperty("konomi.model.bundle"));
            assertThat(b.getHeaders("").get("Konomi-Model")).isNotNull();
            List<org.osgi.framework.wiring.BundleWire> wires = b.adapt(org.osgi.framework.wiring.BundleWiring.class)
                    .getRequiredWires("osgi.extender");
            assertThat(wires).extracting(w -> w.getProvider().getSymbolicName()).containsExactly("konomi.model.extender");
        }
    }

    @Test
    @Order(9)
    void theExtenderStopsAndStartsAgainWithoutLosingTrack() throws Exception {
        Path deploy = home.resolve("deploy");
        Jars.drop(Files.write(work.resolve("junk.bin"), new byte[] {1, 2, 3}), deploy, "junk.jar");
        assertThat(settled(deploy.resolve("junk.jar"))).contains("FAILED");
        List<Object> before = names(shell.detectors());
        org.osgi.framework.Bundle extender = java.util.Arrays.stream(shell.runtime.context().getBundles())
                .filter(b -> "konomi.model.extender".equals(b.getSymbolicName())).findFirst().orElseThrow();

        extender.stop();
        assertThat(shell.detectors()).as("models go with their extender").isEmpty();
        extender.start();
        assertThat(shell.awaitDetectors(d -> names(d).containsAll(before), 10_000)).isNotNegative();
        assertThat(settled(deploy.resolve("junk.jar"))).as("an unusable file is still reported").contains("FAILED");
        Files.delete(deploy.resolve("junk.jar"));
        assertThat(awaitList(l -> !l.contains("junk.jar"), 10_000)).isNotNegative();
        assertThat(shell.run("detect:run " + PLAIN).status()).isZero();
    }

    /** Waits with the registry's promise (ModelRegistry.settled) until the file's model is ACTIVE or FAILED. */
    static String settled(Path file) throws Exception {
        return String.valueOf(registryCall((registry, api) ->
                api.loadClass("konomi.api.model.ModelRegistry").getMethod("settled", Path.class).invoke(registry, file)));
    }

    interface PromiseCall {
        Object call(Object registry, ClassLoader api) throws Exception;
    }

    /** The value of a promise the model registry gives, within 10 s; the API lives in the framework, not here. */
    static Object registryCall(PromiseCall call) throws Exception {
        org.osgi.framework.BundleContext ctx = shell.runtime.context();
        org.osgi.framework.ServiceReference<?> ref = ctx.getServiceReference("konomi.api.model.ModelRegistry");
        assertThat(ref).as("model registry").isNotNull();
        Object registry = ctx.getService(ref);
        try {
            ClassLoader api = registry.getClass().getClassLoader();
            Class<?> promiseType = api.loadClass("org.osgi.util.promise.Promise");
            Object promise = call.call(registry, api);
            Object timed = promiseType.getMethod("timeout", long.class).invoke(promise, 10_000L);
            return promiseType.getMethod("getValue").invoke(timed);
        } finally {
            ctx.ungetService(ref);
        }
    }

    /** Runs model:list until its output satisfies the condition; the milliseconds it took, or -1. */
    static long awaitList(java.util.function.Predicate<String> condition, long timeoutMs) {
        long t0 = System.nanoTime();
        while ((System.nanoTime() - t0) / 1_000_000 < timeoutMs) {
            if (condition.test(shell.run("model:list").out())) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            try {
                Thread.sleep(50); // model:list is a CLI snapshot: re-run it (the registry promises serve the in-process waits)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    static void rewriteManifest(Path jar, String manifest) throws Exception {
        try (java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(jar)) {
            Files.writeString(fs.getPath("META-INF/MANIFEST.MF"), manifest);
        }
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
