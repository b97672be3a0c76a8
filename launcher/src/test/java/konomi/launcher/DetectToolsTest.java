package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * detect:run --labels (the correction round trip), detect:eval --detectors and bench:detect, in a real framework
 * with two detectors: the shipped animeface and "faces", the same cascade packed with minNeighbors=2.
 */
class DetectToolsTest extends FrameworkTest {
    static final Path PLAIN = DetectionTest.PLAIN;

    @BeforeAll
    static void secondDetector() throws Exception {
        TestShell.Result packed = shell.run("model:package --name faces --version 2.0.0 --params minNeighbors=2 " + ModelBundleTest.CASCADE);
        assertThat(packed.status()).as(packed.message()).isZero();
        assertThat(shell.awaitDetectors(d -> d.stream().anyMatch(p -> "faces".equals(p.get("konomi.name"))), 10_000))
                .as("faces registered").isNotNegative();
        assertThat(shell.run("detect:use animeface").status()).isZero();
    }

    /** file → boxes ({@code x1,y1,x2,y2}) as detect:run --no-format prints them ({@code x1,y1,x2,y2@confidence} separated by spaces). */
    static Map<String, List<String>> printed(String out) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length != 3) {
                continue;
            }
            m.put(f[0], f[2].isEmpty() ? List.of() : Arrays.stream(f[2].split(" ")).map(b -> b.substring(0, b.indexOf('@'))).toList());
        }
        return m;
    }

    /**
     * {@code BoxLabels.read(dataset)}, the reader of train:run and detect:eval, called inside the framework (Konomi's
     * bundles are not on the test class path), boxes as their {@code x1,y1,x2,y2} strings.
     */
    static Map<String, List<String>> readBack(Path dataset) throws Exception {
        org.osgi.framework.Bundle imaging = Arrays.stream(shell.runtime.context().getBundles())
                .filter(b -> "konomi.imaging".equals(b.getSymbolicName())).findFirst().orElseThrow();
        Map<?, ?> boxes = (Map<?, ?>) imaging.loadClass("konomi.imaging.boxes.BoxLabels").getMethod("read", Path.class).invoke(null, dataset);
        Map<String, List<String>> m = new LinkedHashMap<>();
        boxes.forEach((k, v) -> m.put((String) k, ((List<?>) v).stream().map(Object::toString).toList()));
        return m;
    }

    @Test
    void labelsWrittenByDetectRunReadBackWithBoxLabelsAsTheDetections(@TempDir Path tmp) throws Exception {
        // the 12 pictures as a dataset of the user's own (links: shared data is never written to), two in a sub-folder
        Path pics = Files.createDirectories(tmp.resolve("pics/sub"));
        try (Stream<Path> s = Files.list(PLAIN)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".jpg")).toList()) {
                String n = p.getFileName().toString();
                Files.createSymbolicLink((n.startsWith("grapeot_1") ? pics : pics.getParent()).resolve(n), p);
            }
        }
        Path dataset = pics.getParent(), labels = dataset.resolve("labels");
        TestShell.Result r = shell.run("detect:run --no-format --labels " + labels + " " + dataset);
        assertThat(r.status()).as(r.message()).isZero();
        Map<String, List<String>> detected = printed(r.out());
        assertThat(detected).hasSize(12).containsKey("sub/grapeot_112032.jpg");
        assertThat(detected.values()).anyMatch(List::isEmpty); // animeface finds nothing in some pictures
        try (Stream<Path> s = Files.walk(labels)) {
            assertThat(s.filter(p -> p.toString().endsWith(".txt")).count()).isEqualTo(12);
        }
        for (var e : detected.entrySet()) {
            Path txt = labels.resolve(e.getKey().replaceFirst("\\.jpg$", ".txt"));
            assertThat(Files.readAllLines(txt)).as(txt.toString()).hasSize(e.getValue().size());
        }
        // the trainer's and detect:eval's reader gets the same boxes back (YOLO's six decimals round to the same pixels)
        assertThat(readBack(dataset)).isEqualTo(detected);

        // a labels folder that exists (perhaps corrected by hand) is only rewritten with --force
        TestShell.Result again = shell.run("detect:run --labels " + labels + " " + dataset);
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.message()).isEqualTo(labels + ": already exists (use --force to write into it)");
        // with the labels in place, the detector agrees with them completely
        TestShell.Result self = shell.run("detect:eval " + dataset);
        assertThat(DetectionTest.metric(self.out(), "AP@0.50")).isEqualTo(1.0);
    }

    @Test
    void scoreRunWritesTheSameLabelsWithLabels(@TempDir Path tmp) throws Exception {
        Path labels = tmp.resolve("labels");
        TestShell.Result r = shell.run("score:run -q --sink none --labels " + labels + " " + PLAIN);
        assertThat(r.status()).as(r.message()).isZero();
        assertThat(r.out()).contains("wrote labels into " + labels.toAbsolutePath()).doesNotContain("wrote " + tmp);
        try (Stream<Path> s = Files.list(labels)) {
            assertThat(s.filter(p -> p.toString().endsWith(".txt")).count()).isEqualTo(12);
        }
        assertThat(labels.resolve("grapeot_119032.txt")).isEmptyFile(); // no face found there
        assertThat(Files.readAllLines(labels.resolve("xavierjiezou_1.txt"))).hasSize(10);
    }

    @Test
    void detectEvalComparesDetectorsInOneTable() {
        TestShell.Result single = shell.run("detect:eval " + PLAIN);
        assertThat(single.status()).as(single.message()).isZero();
        assertThat(single.out()).contains("animeface 1.0.0");
        double singleAp = DetectionTest.metric(single.out(), "AP@0.50");

        TestShell.Result r = shell.run("detect:eval --detectors animeface,faces " + PLAIN);
        assertThat(r.status()).as(r.message()).isZero();
        System.out.println("[detect:eval --detectors]\n" + r.out());
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0).split("\\s+")).containsExactly("detector", "version", "images", "faces", "detections", "AP@0.50",
                "AP@0.30", "recall@0.50", "precision@0.50", "images/s");
        assertThat(lines).hasSize(4);
        Map<String, String[]> rows = new LinkedHashMap<>();
        lines.subList(2, 4).forEach(l -> rows.put(l.split("\\s+")[0], l.split("\\s+")));
        assertThat(rows).containsOnlyKeys("animeface", "faces");
        for (String[] row : rows.values()) {
            assertThat(row[2]).isEqualTo("12");
            assertThat(row[3]).isEqualTo("31");
            for (int i = 5; i <= 8; i++) {
                assertThat(Double.parseDouble(row[i])).isBetween(0.0, 1.0);
            }
            assertThat(Double.parseDouble(row[6])).as("AP@0.3 >= AP@0.5").isGreaterThanOrEqualTo(Double.parseDouble(row[5]));
            assertThat(Double.parseDouble(row[9])).isPositive();
        }
        assertThat(Double.parseDouble(rows.get("animeface")[5])).isEqualTo(singleAp);
        // minNeighbors=2 keeps more candidates than 5
        assertThat(Integer.parseInt(rows.get("faces")[4])).isGreaterThan(Integer.parseInt(rows.get("animeface")[4]));
    }

    @Test
    void anUnknownDetectorIsAOneLineErrorListingTheInstalledOnes() {
        TestShell.Result r = shell.run("detect:eval --detectors animeface,nope " + PLAIN);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.message()).isEqualTo("no detector named 'nope'; installed: animeface, centre, faces, yolo");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void benchDetectPrintsOneRowPerDetector() {
        TestShell.Result r = shell.run("bench:detect --no-format --passes 1 --warmup 0 " + PLAIN);
        assertThat(r.status()).as(r.message()).isZero();
        List<String[]> rows = r.out().lines().map(l -> l.split("\t")).filter(f -> f.length == 7).toList();
        assertThat(rows).extracting(f -> f[0]).containsExactly("animeface", "centre", "faces", "yolo");
        assertThat(rows).allMatch(f -> Double.parseDouble(f[3]) > 0);
        assertThat(rows.get(0)[6]).isEqualTo("23"); // animeface's faces on the 12 pictures, as detect:eval counts them
        assertThat(r.out()).contains("12 images (largest side 1024 px)");
        TestShell.Result unknown = shell.run("bench:detect --detectors nope " + PLAIN);
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.message()).isEqualTo("no detector named 'nope'; installed: animeface, centre, faces, yolo");
    }
}
