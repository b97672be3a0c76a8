package konomi.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import konomi.api.KonomiException;
import konomi.api.train.SplitSpec;

/**
 * The split a training run used, recorded in its folder as {@code split.json}: seed, fractions, the grouping file
 * (path and SHA-256 of its content) and the validation and test files with their labels. Evaluation measures exactly
 * these test files, and refuses when the dataset no longer holds them as they were.
 *
 * @param validation the validation files, in split order
 * @param test       the held-back test files, in split order
 */
record RecordedSplit(String dataset, String task, long seed, double val, double testFraction, String groups, String groupsSha256,
                     int train, List<Entry> validation, List<Entry> test) {
    static final String FILE = "split.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One recorded file.
     *
     * @param label its class name (classification), or null
     * @param score its target score (regression), or NaN
     */
    record Entry(String file, String label, double score) {
        static Entry of(Sample s, Dataset data) {
            return s.label() >= 0 ? new Entry(s.id(), data.labels().get(s.label()), Double.NaN) : new Entry(s.id(), null, s.target());
        }

        String labelText() {
            return label != null ? label : String.format(Locale.ROOT, "%s", score);
        }
    }

    static RecordedSplit of(Dataset data, Split split, SplitSpec spec) {
        return new RecordedSplit(data.source(), data.task(), spec.seed(), spec.val(), spec.test(),
                spec.groups() == null ? null : spec.groups().toAbsolutePath().toString(),
                spec.groups() == null ? null : sha256(spec.groups()), split.train().size(),
                split.val().stream().map(s -> Entry.of(s, data)).toList(), split.test().stream().map(s -> Entry.of(s, data)).toList());
    }

    /** The split specification this record was drawn with. */
    SplitSpec spec() {
        return new SplitSpec(seed, val, testFraction, groups == null ? null : Path.of(groups));
    }

    void write(Path runFolder) {
        ObjectNode m = JSON.createObjectNode();
        m.put("dataset", dataset);
        m.put("task", task);
        m.put("seed", seed);
        m.put("val", val);
        m.put("test", testFraction);
        if (groups != null) {
            ObjectNode g = m.putObject("groups");
            g.put("file", groups);
            g.put("sha256", groupsSha256);
        } else {
            m.putNull("groups");
        }
        ObjectNode counts = m.putObject("counts");
        counts.put("train", train);
        counts.put("validation", validation.size());
        counts.put("test", test.size());
        m.set("validation_files", entries(validation));
        m.set("test_files", entries(test));
        Loop.write(runFolder.resolve(FILE), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, m));
    }

    private static ArrayNode entries(List<Entry> list) {
        ArrayNode a = JSON.createArrayNode();
        for (Entry e : list) {
            ObjectNode o = a.addObject();
            o.put("file", e.file());
            if (e.label() != null) {
                o.put("label", e.label());
            } else {
                o.put("score", e.score());
            }
        }
        return a;
    }

    /** The run folder's recorded split, or null when the run has none (trained before splits were recorded). */
    static RecordedSplit read(Path runFolder) {
        Path file = runFolder.resolve(FILE);
        JsonNode m;
        try {
            m = JSON.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new KonomiException(file + ": unreadable recorded split: " + e.getMessage(), e);
        }
        if (m == null || !m.hasNonNull("seed") || !m.has("test_files")) {
            throw new KonomiException(file + ": not a recorded split (no seed or test_files)");
        }
        JsonNode g = m.get("groups");
        boolean grouped = g != null && g.isObject();
        return new RecordedSplit(m.path("dataset").asText(), m.path("task").asText(), m.get("seed").asLong(), m.path("val").asDouble(),
                m.path("test").asDouble(), grouped ? g.path("file").asText() : null, grouped ? g.path("sha256").asText() : null,
                m.path("counts").path("train").asInt(), entries(m.path("validation_files")), entries(m.get("test_files")));
    }

    private static List<Entry> entries(JsonNode a) {
        List<Entry> list = new ArrayList<>();
        for (JsonNode o : a) {
            list.add(new Entry(o.path("file").asText(), o.hasNonNull("label") ? o.get("label").asText() : null,
                    o.hasNonNull("score") ? o.get("score").asDouble() : Double.NaN));
        }
        return list;
    }

    /**
     * The dataset's samples for the recorded test files, in recorded order.
     *
     * @throws KonomiException one line naming the first missing or relabelled file and how many there are
     */
    List<Sample> testSamples(Dataset data, Path recordFile) {
        return samples(test, "test", data, recordFile, "; give --split all or --seed/--val/--test/--groups to evaluate on a split drawn again");
    }

    /** The same for the recorded validation files. */
    List<Sample> validationSamples(Dataset data, Path recordFile) {
        return samples(validation, "validation", data, recordFile, "");
    }

    private static List<Sample> samples(List<Entry> recorded, String part, Dataset data, Path recordFile, String hint) {
        Map<String, Sample> byId = data.samples().stream().collect(Collectors.toMap(Sample::id, Function.identity(), (a, b) -> a));
        List<Sample> out = new ArrayList<>();
        List<String> missing = new ArrayList<>(), changed = new ArrayList<>();
        for (Entry e : recorded) {
            Sample s = byId.get(e.file());
            if (s == null) {
                missing.add(e.file());
                continue;
            }
            Entry now = Entry.of(s, data);
            boolean same = e.label() != null ? e.label().equals(now.label()) : Double.compare(e.score(), now.score()) == 0;
            if (!same) {
                changed.add(e.file() + " (was " + e.labelText() + ", now " + now.labelText() + ")");
            }
            out.add(s);
        }
        if (!missing.isEmpty() || !changed.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add(missing.size() + " of " + recorded.size() + " recorded " + part + " files missing (first " + missing.get(0) + ")");
            }
            if (!changed.isEmpty()) {
                parts.add(changed.size() + " with another label (first " + changed.get(0) + ")");
            }
            throw new KonomiException(data.source() + ": does not match the run's recorded split " + recordFile + ": "
                    + String.join(", ", parts) + hint);
        }
        return out;
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new KonomiException(file + ": cannot read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
