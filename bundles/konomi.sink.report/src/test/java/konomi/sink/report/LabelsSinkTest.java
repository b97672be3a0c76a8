package konomi.sink.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.KonomiException;
import konomi.api.sink.FaceResult;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ResultSink;
import konomi.api.sink.RunSummary;
import konomi.imaging.boxes.BoxLabels;

/** The labels sink writes what BoxLabels, the trainer's and detect:eval's reader, reads back. */
class LabelsSinkTest {
    static ImageResult result(String id, int w, int h, Box... boxes) {
        return new ImageResult(id, URI.create("file:/" + id), w, h,
                java.util.Arrays.stream(boxes).map(b -> new FaceResult(new Face(b, 0.5), List.of())).toList(), null, null, null);
    }

    static void png(Path p, int w, int h) throws Exception {
        Files.createDirectories(p.getParent());
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", p.toFile());
    }

    @Test
    void labelsInTheDatasetsLabelsFolderReadBackAsTheDetectedBoxes(@TempDir Path pics) throws Exception {
        png(pics.resolve("a.png"), 640, 480);
        png(pics.resolve("sub/b.png"), 333, 517);
        png(pics.resolve("c.png"), 100, 100);
        Map<String, List<Box>> detected = Map.of(
                "a.png", List.of(new Box(10, 20, 110, 140), new Box(600, 400, 640, 480)),
                "sub/b.png", List.of(new Box(1, 2, 332, 516)),
                "c.png", List.of());
        Path labels = pics.resolve("labels");
        try (ResultSink.Session s = new LabelsSink().open(ReportSinksTest.run(labels, 5))) {
            s.accept(result("a.png", 640, 480, detected.get("a.png").toArray(Box[]::new)), null);
            s.accept(ImageResult.failed("broken.png", URI.create("file:/broken.png"), "not a readable image"), null);
            s.accept(result("c.png", 100, 100), null);
            s.accept(result("sub/b.png", 333, 517, detected.get("sub/b.png").toArray(Box[]::new)), null);
            s.complete(new RunSummary(3, 3, 1, 1));
        }
        assertThat(labels.resolve("c.txt")).isEmptyFile();
        assertThat(labels.resolve("sub/b.txt")).exists();
        assertThat(labels.resolve("broken.txt")).doesNotExist();
        assertThat(Files.readAllLines(labels.resolve("a.txt"))).hasSize(2).allMatch(l -> l.startsWith("0 "));
        assertThat(BoxLabels.read(pics)).isEqualTo(detected);
        try (var files = Files.list(labels)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.txt", "c.txt", "sub"); // no temporary left
        }
    }

    @Test
    void refusesTwoImagesWithOneStemAndIdsLeadingOutside(@TempDir Path tmp) {
        Path labels = tmp.resolve("labels");
        try (ResultSink.Session s = new LabelsSink().open(ReportSinksTest.run(labels, 5))) {
            s.accept(result("a.jpg", 10, 10), null);
            assertThatThrownBy(() -> s.accept(result("a.png", 10, 10), null)).isInstanceOf(KonomiException.class)
                    .hasMessage(labels.resolve("a.txt") + ": a.jpg and a.png would share this label file; rename one");
            assertThatThrownBy(() -> s.accept(result("../up.jpg", 10, 10), null))
                    .hasMessage("../up.jpg: its label file would lie outside " + labels);
            assertThatThrownBy(() -> s.accept(result("/etc/x.jpg", 10, 10), null))
                    .hasMessage("/etc/x.jpg: its label file would lie outside " + labels);
        }
        assertThat(tmp.resolve("up.txt")).doesNotExist();
    }

    @Test
    void anExistingLabelFileIsReplacedOnlyWhenTheRunForcesIt(@TempDir Path tmp) throws Exception {
        Path labels = Files.createDirectories(tmp.resolve("labels"));
        Files.writeString(labels.resolve("a.txt"), "0 0.5 0.5 0.1 0.1\n");
        try (ResultSink.Session s = new LabelsSink().open(ReportSinksTest.run(labels, 5))) {
            assertThatThrownBy(() -> s.accept(result("a.jpg", 10, 10), null)).hasMessageContaining(labels.resolve("a.txt").toString());
        }
        assertThat(labels.resolve("a.txt")).hasContent("0 0.5 0.5 0.1 0.1");
        var forced = ReportSinksTest.run(labels, 5);
        forced = new konomi.api.sink.RunInfo(forced.source(), labels, true, false, forced.detector(), forced.scorers(), 0.25, 5, forced.started());
        try (ResultSink.Session s = new LabelsSink().open(forced)) {
            s.accept(result("a.jpg", 10, 10), null);
        }
        assertThat(labels.resolve("a.txt")).isEmptyFile();
    }
}
