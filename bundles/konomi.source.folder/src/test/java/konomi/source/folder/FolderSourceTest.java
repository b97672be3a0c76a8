package konomi.source.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.KonomiException;
import konomi.api.SourceItem;

class FolderSourceTest {

    @Test
    void streamsImagesRecursivelyInPathOrderAndSkipsOtherFiles(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("b/c"));
        for (String f : List.of("z.PNG", "a.jpg", "b/c/x.webp", "b/y.bmp", "notes.txt", ".hidden.jpg", "b/c/w.jpeg")) {
            Files.write(dir.resolve(f), new byte[] {1});
        }
        try (Stream<SourceItem> s = new FolderSource().open(dir.toString())) {
            assertThat(s.map(SourceItem::id)).containsExactly("a.jpg", "b/c/w.jpeg", "b/c/x.webp", "b/y.bmp", "z.PNG");
        }
    }

    @Test
    void readsBytesOnlyWhenAsked(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.jpg"), new byte[] {1, 2, 3});
        try (Stream<SourceItem> s = new FolderSource().open(dir.toString())) {
            SourceItem item = s.findFirst().orElseThrow();
            Files.delete(dir.resolve("a.jpg"));
            assertThatThrownBy(item::read).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void missingFolderIsAOneLineErrorNamingIt(@TempDir Path dir) {
        String missing = dir.resolve("nope").toString();
        assertThatThrownBy(() -> new FolderSource().open(missing))
                .isInstanceOf(KonomiException.class)
                .hasMessage(missing + ": folder not found");
    }

    @Test
    void aSingleImageFileIsAFolderOfOne(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("one.png"), new byte[] {1});
        try (Stream<SourceItem> s = new FolderSource().open(f.toString())) {
            assertThat(s.map(SourceItem::id)).containsExactly("one.png");
        }
        Path txt = Files.write(dir.resolve("one.txt"), new byte[] {1});
        assertThatThrownBy(() -> new FolderSource().open(txt.toString())).hasMessageContaining("not an image file");
    }

    @Test
    void theStreamKnowsItsSizeWithoutReadingAnything(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 5; i++) {
            Files.write(dir.resolve(i + ".jpg"), new byte[] {1});
        }
        try (Stream<SourceItem> s = new FolderSource().open(dir.toString())) {
            assertThat(s.spliterator().getExactSizeIfKnown()).isEqualTo(5);
        }
    }

    @Test
    void aHugeFileIsRefusedNotRead(@TempDir Path dir) throws Exception {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(dir.resolve("huge.png").toFile(), "rw")) {
            f.setLength(FolderSource.MAX_BYTES + 1); // sparse: no disk used
        }
        try (Stream<SourceItem> s = new FolderSource().open(dir.toString())) {
            SourceItem item = s.findFirst().orElseThrow();
            assertThatThrownBy(item::read).isInstanceOf(KonomiException.class)
                    .hasMessage("huge.png: file too large (200 MB; the limit is 200 MB)");
        }
    }
}
