package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection on the real illustrations of ../shared/data/anime_illustrations_plain against its 31
 * hand-checked boxes, inside a real framework. Floors are the figures measured on 2026-11-23 with the
 * shipped lbpcascade_animeface and upstream's parameters (no tuning on these images), minus a margin.
 */
class DetectionTest extends FrameworkTest {
    static final Path PLAIN = TestShell.SHARED.resolve("data/anime_illustrations_plain");

    /** These figures are the cascade's: pin it (whatever the default detector is). */
    @org.junit.jupiter.api.BeforeAll
    static void cascade() throws Exception {
        useCascade();
    }

    @Test
    void detectsFacesInRealIllustrationsAndWritesCsvInOriginalPixels(@TempDir Path tmp) throws Exception {
        Path csv = tmp.resolve("faces.csv");
        TestShell.Result r = shell.run("detect:run --out " + csv + " " + PLAIN);
        assertThat(r.status()).as(r.message()).isZero();
        assertThat(r.out()).contains("jonathonyan_detect_04.jpg", "12 images", "detector animeface 1.0.0");
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.get(0)).isEqualTo("file,x1,y1,x2,y2,confidence");
        assertThat(rows).hasSizeGreaterThan(20);
        // a face the cascade finds in jonathonyan_detect_03.jpg, labelled 69,41,153,125
        assertThat(rows).anyMatch(l -> l.startsWith("jonathonyan_detect_03.jpg,") && iou(l, 69, 41, 153, 125) > 0.8);
    }

    @Test
    void recallPrecisionAndApOnTheLabelledBoxes() {
        TestShell.Result r = shell.run("detect:eval " + PLAIN);
        assertThat(r.status()).as(r.message()).isZero();
        double recall = metric(r.out(), "recall@0.50"), precision = metric(r.out(), "precision@0.50");
        System.out.printf(Locale.ROOT, "[detect:eval default] recall %.3f precision %.3f AP %.3f%n", recall, precision,
                metric(r.out(), "AP@0.50"));
        assertThat(metric(r.out(), "labelled faces")).isEqualTo(31);
        assertThat(recall).isGreaterThanOrEqualTo(0.70);    // measured 0.742
        assertThat(precision).isGreaterThanOrEqualTo(0.95); // measured 1.000
    }

    @Test
    void apOverTheFullConfidenceRanking(@TempDir Path otherHome) throws Exception {
        // minNeighbors=1 keeps every candidate so that AP sees the whole precision/recall curve
        Files.createDirectories(otherHome.resolve("etc"));
        Files.writeString(otherHome.resolve("etc/konomi.detect.cascade.cfg"), "minNeighbors=1\n");
        Files.writeString(otherHome.resolve("etc/konomi.detect.cfg"), "detector.target=(konomi.name\\=animeface)\n");
        try (TestShell all = new TestShell(otherHome)) {
            TestShell.Result r = all.run("detect:eval " + PLAIN);
            assertThat(r.status()).as(r.message()).isZero();
            double ap = metric(r.out(), "AP@0.50");
            System.out.printf(Locale.ROOT, "[detect:eval minNeighbors=1] recall %.3f precision %.3f AP %.3f%n",
                    metric(r.out(), "recall@0.50"), metric(r.out(), "precision@0.50"), ap);
            assertThat(metric(r.out(), "detections")).isGreaterThan(30);
            assertThat(ap).isGreaterThanOrEqualTo(0.80); // measured 0.862
        }
    }

    @Test
    void detectUseSwitchesThroughConfigAdminAndKeepsTheChoiceInEtc() throws Exception {
        Path cfg = home.resolve("etc/konomi.detect.cfg");
        TestShell.Result use = shell.run("detect:use animeface");
        assertThat(use.status()).as(use.message()).isZero();
        assertThat(use.out()).contains("detector animeface 1.0.0 active");
        assertThat(cfgTarget(cfg)).isEqualTo("(konomi.name=animeface)");
        assertThat(shell.run("detect:list").out()).containsPattern("(?m)^\\*\\s+animeface");
        TestShell.Result unknown = shell.run("detect:use nope");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.message()).isEqualTo("no detector named 'nope'; installed: animeface, centre, yolo");
        assertThat(shell.run("detect:use auto").out()).contains("detector centre 1.2.0 active"); // the default
        assertThat(cfgTarget(cfg)).isNull();
        assertThat(shell.run("detect:use animeface").status()).isZero();
    }

    @Test
    void evalRefusesABrokenBoxesFileNamingTheLine(@TempDir Path tmp) throws Exception {
        Path boxes = Files.writeString(tmp.resolve("boxes.csv"), "file,x1,y1,x2,y2\na.jpg,10,10,5,20\n");
        TestShell.Result r = shell.run("detect:eval --boxes " + boxes + " " + PLAIN);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.message()).startsWith(boxes + ":2: bad box");
    }

    private static String cfgTarget(Path cfg) throws java.io.IOException {
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader r = Files.newBufferedReader(cfg, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            p.load(r);
        }
        return p.getProperty("detector.target");
    }

    static double metric(String table, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s+([0-9.]+)").matcher(table);
        assertThat(m.find()).as("metric " + name + " in\n" + table).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static double iou(String csvRow, int x1, int y1, int x2, int y2) {
        String[] f = csvRow.split(",");
        int a1 = Integer.parseInt(f[1]), b1 = Integer.parseInt(f[2]), a2 = Integer.parseInt(f[3]), b2 = Integer.parseInt(f[4]);
        double iw = Math.max(0, Math.min(a2, x2) - Math.max(a1, x1)), ih = Math.max(0, Math.min(b2, y2) - Math.max(b1, y1));
        double inter = iw * ih;
        return inter / ((double) (a2 - a1) * (b2 - b1) + (double) (x2 - x1) * (y2 - y1) - inter);
    }
}
