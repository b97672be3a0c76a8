package konomi.train;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import konomi.api.Box;
import konomi.api.KonomiException;
import konomi.api.train.SplitSpec;
import konomi.imaging.boxes.BoxLabels;

/**
 * The pictures and face boxes a detector trains on. The dataset is split by its {@code split.csv}
 * ({@code file,part} with parts train/val/test) when it has one, so that published splits are kept; otherwise by
 * seed like every other training. Extra datasets (more boxes, composites) go to training whole; the dataset itself
 * named as an extra adds its training part again.
 *
 * @param train      training pictures
 * @param val        validation pictures (early stopping, the per-epoch AP)
 * @param test       held-back pictures (reported once at the end)
 * @param boxes      the face boxes of every picture, by file
 * @param splitFrom  how the split was made, for the user
 */
record DetectionData(List<Sample> train, List<Sample> val, List<Sample> test, Map<Path, List<Box>> boxes, String splitFrom) {
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true)
            .setIgnoreEmptyLines(true).build();

    static DetectionData read(Path dataset, List<Path> extra, SplitSpec spec) {
        Map<Path, List<Box>> boxes = new HashMap<>();
        List<Sample> main = samples(dataset, "", boxes);
        Path splitCsv = Files.isDirectory(dataset) ? dataset.resolve("split.csv") : null;
        List<Sample> train = new ArrayList<>(), val = new ArrayList<>(), test = new ArrayList<>();
        String from;
        if (splitCsv != null && Files.isRegularFile(splitCsv)) {
            Map<String, String> parts = parts(splitCsv);
            for (Sample s : main) {
                String part = parts.get(s.id());
                if (part == null) {
                    throw new KonomiException(splitCsv + ": has no part for " + s.id());
                }
                (part.equals("test") ? test : part.equals("val") ? val : train).add(s);
            }
            from = "parts of " + splitCsv;
        } else {
            Split split = Split.of(main, spec.val(), spec.test(), spec.seed());
            train.addAll(split.train());
            val.addAll(split.val());
            test.addAll(split.test());
            from = "seed " + spec.seed();
        }
        List<Sample> own = List.copyOf(train);
        for (int i = 0; i < extra.size(); i++) {
            // the dataset named again adds its training part once more (weighting it against larger extra sets),
            // never its validation or test pictures
            train.addAll(same(extra.get(i), dataset) ? own : samples(extra.get(i), extra.get(i).getFileName() + "/", boxes));
        }
        return new DetectionData(train, val, test, boxes, from);
    }

    private static boolean same(Path a, Path b) {
        try {
            return Files.exists(a) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** Every labelled picture of a dataset, with its boxes put in {@code boxes}; ids are the labels' relative paths. */
    static List<Sample> samples(Path dataset, String prefix, Map<Path, List<Box>> boxes) {
        Map<String, List<Box>> labels = BoxLabels.read(dataset);
        Path root = Files.isDirectory(dataset) ? dataset : dataset.toAbsolutePath().getParent();
        List<Sample> out = new ArrayList<>();
        labels.forEach((file, list) -> {
            Path p = root.resolve(file).toAbsolutePath().normalize();
            boxes.put(p, List.copyOf(list));
            out.add(new Sample(p, prefix + file, 0, 0, prefix + file));
        });
        return out;
    }

    private static Map<String, String> parts(Path csv) {
        Map<String, String> parts = new LinkedHashMap<>();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            var parser = CSV.parse(r);
            if (!parser.getHeaderNames().equals(List.of("file", "part"))) {
                throw new KonomiException(csv + ":1: expected header file,part");
            }
            for (CSVRecord rec : parser) {
                String part = rec.get("part");
                if (!part.equals("train") && !part.equals("val") && !part.equals("test")) {
                    throw new KonomiException(csv + ":" + (rec.getRecordNumber() + 1) + ": part must be train, val or test, not " + part);
                }
                parts.put(rec.get("file"), part);
            }
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw new KonomiException(csv + ": cannot read: " + e.getMessage(), e);
        }
        return parts;
    }
}
