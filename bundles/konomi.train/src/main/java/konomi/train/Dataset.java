package konomi.train;

import java.io.BufferedReader;
import java.io.IOException;
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

import konomi.api.KonomiException;

/**
 * A dataset on disk: a folder with one subfolder per class (classification), or a CSV {@code file,score}
 * with paths relative to the CSV (regression). An optional groups CSV ({@code file,group}, other columns
 * ignored, e.g. a manifest) keeps related images (faces of one picture) in one split.
 */
record Dataset(String task, List<String> labels, List<Sample> samples, String source) {
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp");

    static Dataset read(Path path, String groupsCsv) {
        Map<String, String> groups = groupsCsv.isBlank() ? Map.of() : readGroups(Path.of(groupsCsv));
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

    private static Dataset ratings(Path csv, Map<String, String> groups) {
        List<Sample> samples = new ArrayList<>();
        Path base = csv.toAbsolutePath().getParent();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !header.replace(" ", "").startsWith("file,score")) {
                throw new KonomiException(csv + ":1: expected header file,score");
            }
            String line;
            int n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.lastIndexOf(',');
                if (comma <= 0) {
                    throw new KonomiException(csv + ":" + n + ": expected file,score");
                }
                String id = line.substring(0, comma).trim();
                double score;
                try {
                    score = Double.parseDouble(line.substring(comma + 1).trim());
                } catch (NumberFormatException e) {
                    throw new KonomiException(csv + ":" + n + ": score is not a number: " + line.substring(comma + 1));
                }
                samples.add(new Sample(base.resolve(id), id, -1, score, groups.getOrDefault(id, id)));
            }
        } catch (IOException e) {
            throw new KonomiException(csv + ": cannot read: " + e.getMessage(), e);
        }
        if (samples.size() < 10) {
            throw new KonomiException(csv + ": a regression dataset needs at least 10 rows, found " + samples.size());
        }
        return new Dataset("regression", List.of(), samples, csv.toString());
    }

    private static Map<String, String> readGroups(Path csv) {
        Map<String, String> m = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            List<String> cols = header == null ? List.of() : List.of(header.split(","));
            int f = cols.indexOf("file"), g = cols.indexOf("group");
            if (f < 0 || g < 0) {
                throw new KonomiException(csv + ":1: a groups file needs columns file and group");
            }
            String line;
            while ((line = r.readLine()) != null) {
                String[] v = line.split(",", -1);
                if (v.length > Math.max(f, g)) {
                    m.put(v[f], v[g]);
                }
            }
        } catch (IOException e) {
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
