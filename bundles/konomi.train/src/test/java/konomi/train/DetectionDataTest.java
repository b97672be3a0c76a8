package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.train.SplitSpec;

class DetectionDataTest {
    @TempDir
    Path dir;

    /** 10 labelled pictures (names only) with a split.csv: 6 train, 2 val, 2 test. */
    private Path boxes(String name, int n, boolean split) throws Exception {
        Path ds = Files.createDirectories(dir.resolve(name));
        List<String> rows = new ArrayList<>(List.of("file,x1,y1,x2,y2")), parts = new ArrayList<>(List.of("file,part"));
        for (int i = 0; i < n; i++) {
            Files.writeString(ds.resolve(i + ".jpg"), "x");
            rows.add(i + ".jpg,1,2,30,40");
            parts.add(i + ".jpg," + (i < 6 ? "train" : i < 8 ? "val" : "test"));
        }
        Files.write(ds.resolve("boxes.csv"), rows);
        if (split) {
            Files.write(ds.resolve("split.csv"), parts);
        }
        return ds;
    }

    @Test
    void theDatasetNamedAsAnExtraAddsItsTrainingPartAgainNeverItsHeldBackPictures() throws Exception {
        Path ds = boxes("ds", 10, true), more = boxes("more", 3, false);
        DetectionData d = DetectionData.read(ds, List.of(more, dir.resolve("more/../ds"), ds), new SplitSpec(1, 0.2, 0.2, null));
        assertThat(d.val()).extracting(Sample::id).containsExactly("6.jpg", "7.jpg");
        assertThat(d.test()).extracting(Sample::id).containsExactly("8.jpg", "9.jpg");
        // 6 own + 3 more + 6 + 6 again; the held-back pictures never among them
        assertThat(d.train()).hasSize(21).extracting(Sample::id).doesNotContain("6.jpg", "7.jpg", "8.jpg", "9.jpg").contains("more/0.jpg");
        assertThat(d.train().stream().filter(s -> s.id().equals("0.jpg")).count()).isEqualTo(3);
    }
}
