package konomi.shell;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import konomi.api.KonomiException;

/**
 * A text file written to a temporary sibling and moved into place on {@link #commit()}, so readers never
 * see half a file and an existing file is only replaced when the user said so.
 */
final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final BufferedWriter writer;
    private boolean committed;

    AtomicFile(Path target, boolean force) {
        this.target = target.toAbsolutePath();
        if (Files.exists(this.target) && !force) {
            throw new KonomiException(target + ": already exists (use --force to replace it)");
        }
        try {
            Files.createDirectories(this.target.getParent());
            this.tmp = Files.createTempFile(this.target.getParent(), "." + this.target.getFileName(), ".tmp");
            readableByAll(tmp);
            this.writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KonomiException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    Writer writer() {
        return writer;
    }

    void commit() {
        try {
            writer.close();
            move(tmp, target);
            committed = true;
        } catch (IOException e) {
            throw new KonomiException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Temporary files are created owner-only; results are ordinary files others may read. */
    static void readableByAll(Path p) {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: keep its default
        }
    }

    /** Moves a finished temporary file into place in one step where the file system allows it. */
    static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                writer.close();
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing was promised for an uncommitted file
            }
        }
    }
}
