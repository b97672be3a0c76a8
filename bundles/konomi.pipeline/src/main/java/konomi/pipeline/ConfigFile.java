package konomi.pipeline;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import konomi.util.AtomicFile;
import konomi.api.KonomiException;

/** Edits one key of a FileInstall {@code .cfg} file, keeping the others; written atomically. */
final class ConfigFile {
    private ConfigFile() {
    }

    /** Sets {@code key} to {@code value}, or removes it when value is null. */
    static void set(Path file, String key, String value) {
        Properties p = new Properties();
        try {
            if (Files.exists(file)) {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                    p.load(r);
                }
            }
            if (value == null) {
                p.remove(key);
            } else {
                p.setProperty(key, value);
            }
            // a dot-named temporary: FileInstall ignores it until the move makes it whole
            try (AtomicFile f = new AtomicFile(file, true)) {
                p.store(new java.io.OutputStreamWriter(f.stream(), StandardCharsets.ISO_8859_1) {
                    @Override
                    public void close() {
                        // AtomicFile closes the stream on commit
                    }
                }, "written by Konomi");
                f.commit();
            }
        } catch (IOException e) {
            throw new KonomiException(file + ": cannot update configuration: " + e.getMessage(), e);
        }
    }
}
