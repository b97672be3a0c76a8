package konomi.sink.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.sink.FaceResult;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ResultSink;
import konomi.api.sink.RunInfo;
import konomi.api.sink.RunSummary;

class FolderSinkTest {
    static ImageResult image(String id, int faces) {
        List<FaceResult> f = faces == 0 ? List.of() : List.of(new FaceResult(new Face(new Box(0, 0, 5, 5), 1), List.of()));
        return new ImageResult(id, URI.create("http://example.test/" + id), 10, 10, f, null, null, null);
    }

    static String copy(Path dir, Object... idsAndBytes) {
        RunInfo run = new RunInfo("feed", dir, false, false, null, List.of(), 0.25, 20, Instant.now());
        try (ResultSink.Session s = new FolderSink().open(run)) {
            for (int i = 0; i < idsAndBytes.length; i += 3) {
                s.accept(image((String) idsAndBytes[i], (Integer) idsAndBytes[i + 1]), null, (byte[]) idsAndBytes[i + 2]);
            }
            s.complete(new RunSummary(0, 0, 0, 0));
            return s.note();
        }
    }

    @Test
    void copiesImagesWithFacesAsReadAndNeverReplacesAFile(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("best");
        byte[] a = {1, 2, 3}, b = {4, 5}, c = {6};
        assertThat(copy(dir, "img/a.jpg?x=1", 1, a, "nofaces.jpg", 0, c, "sub/b.png", 2, b)).isEqualTo("folder: 2 copied into " + dir.toAbsolutePath());
        assertThat(Files.readAllBytes(dir.resolve("a.jpg"))).isEqualTo(a);
        assertThat(Files.readAllBytes(dir.resolve("b.png"))).isEqualTo(b);
        assertThat(dir.resolve("nofaces.jpg")).doesNotExist();
        // the next run: the same picture is not copied twice; another picture of the same name gets a suffix
        assertThat(copy(dir, "a.jpg", 1, a, "other/a.jpg", 1, c)).endsWith("1 copied into " + dir.toAbsolutePath() + ", 1 were there already");
        assertThat(Files.readAllBytes(dir.resolve("a.jpg"))).isEqualTo(a);
        assertThat(Files.readAllBytes(dir.resolve("a-2.jpg"))).isEqualTo(c);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.jpg", "a-2.jpg", "b.png");
        }
    }

    @Test
    void aFileWhereTheFolderShouldBeIsOneLine(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("x"), "x");
        assertThatThrownBy(() -> copy(file)).hasMessage(file + ": not a folder (--sink folder:DIR copies images into a folder)");
        assertThat(FolderSink.fileName("http://h/p/Ünï cödé.jpg")).isEqualTo("_n__c_d_.jpg");
        assertThat(FolderSink.fileName("http://h/p/")).isEqualTo("image");
    }
}
