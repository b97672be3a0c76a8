package konomi.schedule;

import java.io.IOException;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import konomi.api.KonomiException;
import konomi.util.AtomicFile;

/**
 * {@code <home>/data/schedules.csv}: {@code id,cron,command,created,lastRun,lastResult}, times as ISO-8601 instants.
 * Every change is read, modified and written back whole (atomically, {@link AtomicFile}) under a lock on a sibling
 * lock file, so a {@code konomi schedule:add} in one process and a serving process recording a run never lose each
 * other's change. A file that cannot be read as schedules is refused with one line naming it and is never written
 * over: nothing is saved until it is repaired or removed.
 */
final class ScheduleFile {
    static final List<String> COLUMNS = List.of("id", "cron", "command", "created", "lastRun", "lastResult");
    private static final CSVFormat READ = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
    private static final CSVFormat WRITE = CSVFormat.DEFAULT.builder().setHeader(COLUMNS.toArray(String[]::new))
            .setRecordSeparator('\n').build();

    /** One process may hold a file lock only once: threads (and component instances) of this JVM queue here first. */
    private static final Object JVM_LOCK = new Object();

    private final Path file;
    private final Path lock;

    ScheduleFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.lock = this.file.resolveSibling("." + this.file.getFileName() + ".lock");
    }

    Path path() {
        return file;
    }

    /** The schedules; none when the file does not exist. @throws KonomiException for a file that is not a schedules file */
    List<Schedule> read() {
        return withLock(() -> load());
    }

    /** Reads, applies {@code change} and writes the result back, all under the lock; returns what was written. */
    List<Schedule> update(UnaryOperator<List<Schedule>> change) {
        return withLock(() -> {
            List<Schedule> before = load();
            List<Schedule> after = change.apply(new ArrayList<>(before));
            if (!after.equals(before)) {
                write(after);
            }
            return List.copyOf(after);
        });
    }

    /**
     * What identifies the file's current content cheaply (modification time, size, file key): a serving process
     * re-reads the file only when this changes. Null when there is no file.
     */
    Object version() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), Objects.toString(a.fileKey()));
        } catch (IOException e) {
            return null;
        }
    }

    private interface Locked<T> {
        T run();
    }

    /** Other processes: an exclusive lock on the lock file; this process: {@link #JVM_LOCK}. */
    private <T> T withLock(Locked<T> body) {
        synchronized (JVM_LOCK) {
            return withFileLock(body);
        }
    }

    private <T> T withFileLock(Locked<T> body) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock l = ch.lock()) {
                return body.run();
            }
        } catch (IOException e) {
            throw new KonomiException(file + ": cannot lock (" + lock.getFileName() + "): " + e.getMessage(), e);
        }
    }

    private List<Schedule> load() {
        List<Schedule> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser p = READ.parse(r)) {
            if (!p.getHeaderNames().containsAll(COLUMNS)) {
                throw corrupt("header is " + p.getHeaderNames() + ", expected " + String.join(",", COLUMNS));
            }
            Set<String> ids = new HashSet<>();
            for (CSVRecord rec : p) {
                String where = "line " + p.getCurrentLineNumber();
                if (!rec.isConsistent()) {
                    throw corrupt(where + " has " + rec.size() + " fields, expected " + COLUMNS.size());
                }
                String id = rec.get("id"), cron = rec.get("cron"), command = rec.get("command");
                if (id.isBlank() || command.isBlank()) {
                    throw corrupt(where + ": empty id or command");
                }
                if (!ids.add(id)) {
                    throw corrupt(where + ": id " + id + " appears twice");
                }
                try {
                    CronSchedule.parse(cron);
                } catch (KonomiException e) {
                    throw corrupt(where + ": " + e.getMessage());
                }
                out.add(new Schedule(id, cron, command, instant(rec, "created", where), instant(rec, "lastRun", where),
                        blankToNull(rec.get("lastResult"))));
            }
            return out;
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException | IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            // Commons CSV: unbalanced quotes, duplicate or missing headers ...
            String why = e.getMessage() == null ? e.toString() : e.getMessage().strip().replaceAll("\\s+", " ");
            throw corrupt(why);
        }
    }

    private Instant instant(CSVRecord rec, String column, String where) {
        String v = rec.get(column);
        if (v.isBlank()) {
            if (column.equals("created")) {
                throw corrupt(where + ": created is empty");
            }
            return null;
        }
        try {
            return Instant.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw corrupt(where + ": " + column + " is not a time (ISO-8601, e.g. 2026-12-01T07:00:00Z): " + v);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private KonomiException corrupt(String why) {
        return new KonomiException(file + ": not a schedules file (" + why + "); it is left as it is: repair or remove it");
    }

    private void write(List<Schedule> schedules) {
        try (AtomicFile f = new AtomicFile(file, true)) {
            try (CSVPrinter p = new CSVPrinter(f.writer(), WRITE)) {
                for (Schedule s : schedules) {
                    p.printRecord(s.id(), s.cron(), s.command(), s.created(), s.lastRun() == null ? "" : s.lastRun(),
                            s.lastResult() == null ? "" : s.lastResult());
                }
                p.flush();
                f.commit();
            }
        } catch (IOException e) {
            throw new KonomiException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
