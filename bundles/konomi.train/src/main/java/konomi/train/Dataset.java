package konomi.train;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import konomi.api.KonomiException;

/**
 * A dataset on disk: a folder with one subfolder per class (classification), or a CSV {@code file,score}
 * with paths relative to the CSV (regression). An optional groups CSV ({@code file,group}, other columns
 * ignored, e.g. a manifest) keeps related images (faces of one picture) in one split.
 */
record Dataset(String task, List<String> labels, List<Sample> samples, String source) {
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp");

    /** @param groupsCsv the groups file, or null for one group per image */
    static Dataset read(Path path, Path groupsCsv) {
        Map<String, String> groups = groupsCsv == null ? Map.of() : readGroups(groupsCsv);
        if (Files.isDirectory(path)) {
            return folders(path, groups);
        }
        if (Files.isRegularFile(path) && path.toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return ratings(path, groups);
        }
        throw new KonomiException(path + ": dataset not found (a folder of class folders, or a CSV file,score)");
    }

    private static Dataset folders(Path root, Map<String, String> groups) {
        List<String> labels;
        try (Stream<Path> s = Files.list(root)) {
            labels = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new KonomiException(root + ": cannot list dataset: " + e.getMessage(), e);
        }
        if (labels.size() < 2) {
            throw new KonomiException(root + ": a classification dataset needs at least 2 class folders, found " + labels.size());
        }
        List<Sample> samples = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            Path dir = root.resolve(labels.get(c));
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.filter(Files::isRegularFile).filter(Dataset::isImage).sorted().toList()) {
                    String id = root.relativize(p).toString().replace('\\', '/');
                    samples.add(new Sample(p, id, c, c, groups.getOrDefault(id, id)));
                }
            } catch (IOException e) {
                throw new KonomiException(dir + ": cannot list: " + e.getMessage(), e);
            }
            int label = c;
            if (samples.stream().noneMatch(x -> x.label() == label)) {
                throw new KonomiException(dir + ": class folder has no images");
            }
        }
        return new Dataset("classification", labels, samples, root.toString());
    }

    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).build();

    private static Dataset ratings(Path csv, Map<String, String> groups) {
        List<Sample> samples = new ArrayList<>();
        Path base = csv.toAbsolutePath().getParent();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            CSVParser parser = CSV.parse(r);
            if (!parser.getHeaderNames().containsAll(List.of("file", "score"))) {
                throw new KonomiException(csv + ":1: expected header file,score");
            }
            for (CSVRecord rec : parser) {
                String where = csv + ":" + (rec.getRecordNumber() + 1);
                if (!rec.isConsistent()) {
                    throw new KonomiException(where + ": expected file,score");
                }
                String id = rec.get("file");
                try {
                    samples.add(new Sample(base.resolve(id), id, -1, Double.parseDouble(rec.get("score")), groups.getOrDefault(id, id)));
                } catch (NumberFormatException e) {
                    throw new KonomiException(where + ": score is not a number: " + rec.get("score"));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new KonomiException(csv + ": cannot read: " + e.getMessage(), e);
        }
        if (samples.size() < 10) {
            throw new KonomiException(csv + ": a regression dataset needs at least 10 rows, found " + samples.size());
        }
        return new Dataset("regression", List.of(), samples, csv.toString());
    }

    private static Map<String, String> readGroups(Path csv) {
        Map<String, String> m = new HashMap<>();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            CSVParser parser = CSV.parse(r);
            if (!parser.getHeaderNames().containsAll(List.of("file", "group"))) {
                throw new KonomiException(csv + ":1: a groups file needs columns file and group");
            }
            for (CSVRecord rec : parser) {
                m.put(rec.get("file"), rec.get("group"));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new KonomiException(csv + ": cannot read groups: " + e.getMessage(), e);
        }
        return m;
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && !n.startsWith(".") && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
