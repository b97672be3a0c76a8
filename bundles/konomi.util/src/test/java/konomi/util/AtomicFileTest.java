package konomi.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.KonomiException;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void uncommittedWriteLeavesTheOldFileAndNoTemporary() throws Exception {
        Path f = dir.resolve("a.txt");
        Files.writeString(f, "old");
        try (AtomicFile a = new AtomicFile(f, true)) {
            a.writer().write("new, half");
        }
        assertThat(Files.readString(f)).isEqualTo("old");
        try (var s = Files.list(dir)) {
            assertThat(s.toList()).containsExactly(f);
        }
    }

    @Test
    void refusesToReplaceWithoutPermission() throws Exception {
        Path f = dir.resolve("a.txt");
        Files.writeString(f, "old");
        assertThatThrownBy(() -> new AtomicFile(f, false)).isInstanceOf(KonomiException.class).hasMessageContaining("a.txt: already exists");
        AtomicFile.writeString(f, "new");
        assertThat(Files.readString(f)).isEqualTo("new");
    }

    @Test
    void escapesHtml() {
        assertThat(Text.html("<a href=\"x\">&'")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assertThat(Text.duration(3725)).isEqualTo("1h02m");
    }
}
