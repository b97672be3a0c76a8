package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input inside a real framework: corrupt images are skipped and reported; ND4J works in a bundle. */
class RobustnessTest extends FrameworkTest {
    /** These checks are written against the cascade: pin it (whatever the default detector is). */
    @org.junit.jupiter.api.BeforeAll
    static void cascade() throws Exception {
        useCascade();
    }


    @Test
    void corruptImagesAreSkippedAndListedAndTheRunGoesOn(@TempDir Path pics) throws Exception {
        Path good = DetectionTest.PLAIN.resolve("jonathonyan_detect_03.jpg");
        Files.copy(good, pics.resolve("a_good.jpg"));
        Files.write(pics.resolve("b_garbage.jpg"), "this is not a jpeg".getBytes());
        Files.write(pics.resolve("c_empty.png"), new byte[0]);
        byte[] bytes = Files.readAllBytes(good);
        Files.write(pics.resolve("d_header_only.jpg"), Arrays.copyOf(bytes, 200));
        Path csv = pics.resolve("out/faces.csv");
        TestShell.Result r = shell.run("detect:run --out " + csv + " " + pics);
        assertThat(r.status()).as(r.message()).isZero();
        assertThat(r.out()).containsPattern("a_good.jpg\\s+1");
        assertThat(r.err()).contains("skipped b_garbage.jpg: not a readable image", "skipped c_empty.png: empty file",
                "skipped d_header_only.jpg");
        assertThat(r.out()).contains("1 images, 1 faces, 3 skipped");
        assertThat(Files.readAllLines(csv)).hasSize(2);
    }

    @Test
    void anExistingOutputFileIsNeverReplacedWithoutForce(@TempDir Path tmp) throws Exception {
        Path csv = Files.writeString(tmp.resolve("mine.csv"), "precious");
        TestShell.Result r = shell.run("detect:run --out " + csv + " " + DetectionTest.PLAIN.resolve("jonathonyan_detect_03.jpg"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.message()).isEqualTo(csv + ": already exists (use --force to replace it)");
        assertThat(csv).hasContent("precious");
        assertThat(tmp.toFile().list()).containsExactly("mine.csv"); // no temp files left behind
        assertThat(shell.run("detect:run --force --out " + csv + " " + DetectionTest.PLAIN.resolve("jonathonyan_detect_03.jpg")).status()).isZero();
        assertThat(Files.readAllLines(csv).get(0)).isEqualTo("file,x1,y1,x2,y2,confidence");
    }

    @Test
    void missingFolderIsOneLineNamingIt() {
        TestShell.Result r = shell.run("detect:run /no/such/folder");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.message()).isEqualTo("/no/such/folder: folder not found");
    }

    @Test
    void badDetectorConfigurationIsRejectedWithItsKeyNamed() throws Exception {
        // a typo in etc/ must not take detection down silently: the factory refuses the value
        String detect = "detect:run " + DetectionTest.PLAIN.resolve("jonathonyan_detect_03.jpg");
        TestShell.Result[] last = new TestShell.Result[1];
        Files.writeString(home.resolve("etc/konomi.detect.cascade.cfg"), "scaleFactor=0.5\n");
        try {
            // FileInstall hands the file to ConfigAdmin, the factory's @Modified changes its service: re-try on events
            shell.runtime.await(() -> (last[0] = shell.run(detect)).status() != 0, 10_000);
            assertThat(last[0].status()).isEqualTo(1);
            assertThat(last[0].message()).contains("scaleFactor");
        } finally {
            Files.delete(home.resolve("etc/konomi.detect.cascade.cfg"));
        }
        assertThat(shell.runtime.await(() -> shell.run(detect).status() == 0, 10_000)).as("detection works again").isTrue();
    }

    @Test
    void anNd4jOperationRunsInsideABundle() {
        TestShell.Result r = shell.run("konomi:info");
        assertThat(r.status()).as(r.message()).isZero();
        assertThat(r.out()).contains("2x2 matmul = [7.0, 10.0, 15.0, 22.0]", "CpuBackend");
    }
}
