package konomi.util;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import konomi.api.KonomiException;

/**
 * A file written to a temporary sibling (a dot file, which folder watchers ignore) and moved into place on
 * {@link #commit()}, so readers never see half a file and an existing file is only replaced when the caller
 * says so. Closing without committing removes the temporary file and leaves the target as it was.
 */
public final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final OutputStream out;
    private Writer writer;
    private boolean committed;

    /**
     * @param replace whether an existing target may be replaced; if not, an existing target is refused with a
     *                one-line error naming it
     */
    public AtomicFile(Path target, boolean replace) {
        this.target = target.toAbsolutePath();
        if (Files.exists(this.target) && !replace) {
            throw new KonomiException(target + ": already exists (use --force to replace it)");
        }
        try {
            Files.createDirectories(this.target.getParent());
            this.tmp = Files.createTempFile(this.target.getParent(), "." + this.target.getFileName(), ".tmp");
            readableByAll(tmp);
            this.out = Files.newOutputStream(tmp);
        } catch (IOException e) {
            throw new KonomiException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** The target path (absolute). */
    public Path target() {
        return target;
    }

    /** A UTF-8 writer on the temporary file (do not mix with {@link #stream()}). */
    public Writer writer() {
        if (writer == null) {
            writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        }
        return writer;
    }

    /** The raw stream on the temporary file. */
    public OutputStream stream() {
        return out;
    }

    /** Closes the temporary file and moves it over the target in one step where the file system allows. */
    public void commit() {
        try {
            if (writer != null) {
                writer.close();
            } else {
                out.close();
            }
            move(tmp, target);
            committed = true;
        } catch (IOException e) {
            throw new KonomiException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                out.close();
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing was promised for an uncommitted file
            }
        }
    }

    /** Writes a whole text file atomically, replacing any existing one. */
    public static void writeString(Path target, CharSequence text) {
        try (AtomicFile f = new AtomicFile(target, true)) {
            f.writer().append(text);
            f.commit();
        } catch (IOException e) {
            throw new KonomiException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Writes a whole binary file atomically, replacing any existing one. */
    public static void write(Path target, byte[] bytes) {
        try (AtomicFile f = new AtomicFile(target, true)) {
            f.stream().write(bytes);
            f.commit();
        } catch (IOException e) {
            throw new KonomiException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Moves a finished temporary file into place in one step where the file system allows it. */
    public static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Temporary files are created owner-only; results are ordinary files others may read. */
    private static void readableByAll(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: keep its default
        }
    }
}
