package konomi.imaging.boxes;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.Box;

/** YOLO labels of pictures in sub-folders, as detect:run --labels writes them, in both dataset layouts. */
class BoxLabelsTest {
    static void png(Path p, int w, int h) throws Exception {
        Files.createDirectories(p.getParent());
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", p.toFile());
    }

    @Test
    void picturesInSubFoldersFindTheirLabelsUnderTheSameSubFolder(@TempDir Path d) throws Exception {
        png(d.resolve("top.png"), 200, 100);
        png(d.resolve("sub/deeper/x.png"), 100, 200);
        png(d.resolve("sub/y.png"), 50, 50); // no label file: no face
        Files.createDirectories(d.resolve("labels/sub/deeper"));
        Files.writeString(d.resolve("labels/top.txt"), BoxLabels.yolo(List.of(new Box(10, 10, 50, 90)), 200, 100));
        Files.writeString(d.resolve("labels/sub/deeper/x.txt"), BoxLabels.yolo(List.of(new Box(0, 0, 100, 100), new Box(5, 150, 25, 200)), 100, 200));
        png(d.resolve("labels/stray.png"), 10, 10); // inside labels/: not a picture of the dataset
        assertThat(BoxLabels.read(d)).containsExactly(
                Map.entry("sub/deeper/x.png", List.of(new Box(0, 0, 100, 100), new Box(5, 150, 25, 200))),
                Map.entry("sub/y.png", List.of()),
                Map.entry("top.png", List.of(new Box(10, 10, 50, 90))));
    }

    @Test
    void theImagesLayoutKeepsItsPrefix(@TempDir Path d) throws Exception {
        png(d.resolve("images/a/b.png"), 40, 40);
        Files.createDirectories(d.resolve("labels/a"));
        Files.writeString(d.resolve("labels/a/b.txt"), "0 0.5 0.5 0.5 0.5\n");
        assertThat(BoxLabels.read(d)).containsExactly(Map.entry("images/a/b.png", List.of(new Box(10, 10, 30, 30))));
    }
}
