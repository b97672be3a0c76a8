package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.Box;
import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.train.CompositeOptions;
import konomi.api.train.CompositeResult;
import konomi.imaging.ImageHeader;
import konomi.imaging.boxes.BoxLabels;

/** train:composite on the real shared data: determinism, box sanity, labels read back, faces really pasted. */
class CompositeTest {
    /** ../shared/data from the repository root; tests run in bundles/konomi.train. */
    static final Path DATA = Path.of("../../../shared/data").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    final Heard listener = new Heard();
    final List<String> said = listener.said;

    CompositeOptions.Builder options(String out, int n, long seed) {
        return CompositeOptions.builder(dir.resolve(out)).data(DATA).count(n).seed(seed);
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherPictures() throws Exception {
        CompositeResult a = new FaceCompositor().compose(options("a", 6, 7).workers(1).build(), listener);
        CompositeResult b = new FaceCompositor().compose(options("b", 6, 7).workers(3).build(), null);
        CompositeResult c = new FaceCompositor().compose(options("c", 6, 8).build(), null);
        assertThat(a.pictures()).isEqualTo(6);
        assertThat(said).first().asString().startsWith("composite: 6 pictures into " + dir.resolve("a"));
        assertThat(said).last().asString().startsWith("composite 6/6 pictures, " + a.faces() + " faces");

        assertThat(Files.readAllBytes(dir.resolve("b/boxes.csv"))).isEqualTo(Files.readAllBytes(dir.resolve("a/boxes.csv")));
        int differing = 0;
        for (int i = 0; i < 6; i++) {
            String name = "images/" + Compositing.name(i);
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(name))).as(name).isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(name)));
            differing += java.util.Arrays.equals(Files.readAllBytes(dir.resolve("c").resolve(name)),
                    Files.readAllBytes(dir.resolve("a").resolve(name))) ? 0 : 1;
        }
        assertThat(differing).isEqualTo(6);
        assertThat(Files.readString(dir.resolve("c/boxes.csv"))).isNotEqualTo(Files.readString(dir.resolve("a/boxes.csv")));
    }

    @Test
    void boxesLieInsideTheirPicturesAndReadBack() throws Exception {
        CompositeResult r = new FaceCompositor().compose(options("a", 12, 3).build(), null);
        Map<String, List<Box>> labels = BoxLabels.read(r.output());
        assertThat(Files.readAllLines(r.boxes()).get(0)).isEqualTo("file,x1,y1,x2,y2");
        assertThat(labels.values().stream().mapToInt(List::size).sum()).isEqualTo(r.faces()).isGreaterThanOrEqualTo(12);
        assertThat(labels).hasSize(12 - r.negatives());
        try (Stream<Path> s = Files.list(r.output().resolve("images"))) {
            assertThat(s.count()).isEqualTo(12);
        }
        for (var e : labels.entrySet()) {
            ImageHeader h = ImageHeader.read(Files.readAllBytes(r.output().resolve(e.getKey())));
            assertThat(Math.max(h.width(), h.height())).as(e.getKey()).isBetween(512, 800);
            assertThat(e.getValue()).as(e.getKey()).hasSizeBetween(1, 4);
            for (Box b : e.getValue()) {
                assertThat(b.x1()).as(e.getKey() + " " + b).isGreaterThanOrEqualTo(0);
                assertThat(b.y1()).as(e.getKey() + " " + b).isGreaterThanOrEqualTo(0);
                assertThat(b.x2()).as(e.getKey() + " " + b).isLessThanOrEqualTo(h.width());
                assertThat(b.y2()).as(e.getKey() + " " + b).isLessThanOrEqualTo(h.height());
                // at least 10 px (half of --min-face) and at most half the shorter side, grown by a rotation
                assertThat(Math.min(b.width(), b.height())).as(e.getKey() + " " + b).isGreaterThanOrEqualTo(10);
                assertThat(Math.max(b.width(), b.height())).as(e.getKey() + " " + b)
                        .isLessThanOrEqualTo((int) Math.ceil(0.5 * Math.min(h.width(), h.height()) * 1.45));
                assertThat(Math.max(b.width(), b.height()) / (double) Math.min(b.width(), b.height())).as(b.toString()).isLessThan(3);
            }
        }
    }

    @Test
    void facesArePastedWhereTheBoxesAreAndNowhereElse() {
        CompositeOptions o = options("x", 8, 7).build();
        Composer composer = new Composer(new CompositeData(DATA), o);
        int boxes = 0;
        for (int i = 0; i < 8; i++) {
            Composer.Picture with = composer.render(i, true), without = composer.render(i, false);
            assertThat(without.boxes()).isEqualTo(with.boxes());
            Image p = with.image(), q = without.image();
            assertThat(q.width()).isEqualTo(p.width());
            boolean[] near = new boolean[p.width() * p.height()];
            for (Box b : with.boxes()) {
                boxes++;
                // inside the box the picture changed clearly
                assertThat(meanDifference(p, q, b)).as(i + ": " + b).isGreaterThan(8);
                int gw = b.width(), gh = b.height();
                for (int y = Math.max(0, b.y1() - gh); y < Math.min(p.height(), b.y2() + gh); y++) {
                    for (int x = Math.max(0, b.x1() - gw); x < Math.min(p.width(), b.x2() + gw); x++) {
                        near[y * p.width() + x] = true;
                    }
                }
            }
            // far from every box (more than its own size away) nothing changed
            for (int k = 0; k < near.length; k++) {
                if (!near[k]) {
                    for (int c = 0; c < 3; c++) {
                        assertThat(p.pixels()[k * 3 + c]).as(i + ": pixel " + k).isEqualTo(q.pixels()[k * 3 + c]);
                    }
                }
            }
        }
        assertThat(boxes).isGreaterThanOrEqualTo(8);
    }

    private static double meanDifference(Image p, Image q, Box b) {
        long sum = 0;
        for (int y = b.y1(); y < b.y2(); y++) {
            for (int x = b.x1(); x < b.x2(); x++) {
                for (int c = 0; c < 3; c++) {
                    int k = (y * p.width() + x) * 3 + c;
                    sum += Math.abs((p.pixels()[k] & 0xff) - (q.pixels()[k] & 0xff));
                }
            }
        }
        return sum / (3.0 * b.area());
    }

    @Test
    void negativesOnlyGiveAHeaderAndNoRows() throws Exception {
        CompositeResult r = new FaceCompositor().compose(options("neg", 3, 1).negatives(1).build(), null);
        assertThat(r.faces()).isZero();
        assertThat(r.negatives()).isEqualTo(3);
        assertThat(Files.readAllLines(r.boxes())).containsExactly("file,x1,y1,x2,y2");
    }

    @Test
    void refusesAForeignFolderAndReplacesItsOwnOutput() throws Exception {
        Files.createDirectories(dir.resolve("mine"));
        Files.writeString(dir.resolve("mine/notes.txt"), "keep me");
        assertThatThrownBy(() -> new FaceCompositor().compose(options("mine", 2, 1).build(), null))
                .isInstanceOf(KonomiException.class)
                .hasMessage(dir.resolve("mine") + ": folder is not empty and not a train:composite output (no composite.json); choose another --out");
        assertThat(dir.resolve("mine/images")).doesNotExist();

        new FaceCompositor().compose(options("again", 5, 1).build(), null);
        CompositeResult r = new FaceCompositor().compose(options("again", 2, 1).build(), null);
        try (Stream<Path> s = Files.list(r.output().resolve("images"))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("00000.jpg", "00001.jpg");
        }
        assertThat(BoxLabels.read(r.output()).keySet()).allMatch(f -> f.equals("images/00000.jpg") || f.equals("images/00001.jpg"));
    }

    @Test
    void aMissingDataFolderIsNamed() {
        assertThatThrownBy(() -> new FaceCompositor().compose(options("x", 2, 1).data(dir.resolve("nodata")).build(), null))
                .isInstanceOf(KonomiException.class)
                .hasMessageStartingWith(dir.resolve("nodata") + ": data folder not found");
        assertThat(dir.resolve("x")).doesNotExist();
    }
}
