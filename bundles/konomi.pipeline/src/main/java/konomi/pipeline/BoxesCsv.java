package konomi.pipeline;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import konomi.api.Box;
import konomi.api.KonomiException;

/** Reads labelled face boxes: CSV with header {@code file,x1,y1,x2,y2}, original pixels. */
final class BoxesCsv {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).build();

    private BoxesCsv() {
    }

    static Map<String, List<Box>> read(Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw new KonomiException(csv + ": boxes file not found");
        }
        Map<String, List<Box>> boxes = new LinkedHashMap<>();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            var parser = FORMAT.parse(r);
            if (!parser.getHeaderNames().equals(List.of("file", "x1", "y1", "x2", "y2"))) {
                throw new KonomiException(csv + ":1: expected header file,x1,y1,x2,y2");
            }
            for (CSVRecord rec : parser) {
                String where = csv + ":" + (rec.getRecordNumber() + 1);
                if (!rec.isConsistent()) {
                    throw new KonomiException(where + ": expected file,x1,y1,x2,y2");
                }
                try {
                    boxes.computeIfAbsent(rec.get("file"), k -> new ArrayList<>()).add(new Box(Integer.parseInt(rec.get("x1")),
                            Integer.parseInt(rec.get("y1")), Integer.parseInt(rec.get("x2")), Integer.parseInt(rec.get("y2"))));
                } catch (IllegalArgumentException e) {
                    throw new KonomiException(where + ": bad box: " + e.getMessage());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new KonomiException(csv + ": cannot read: " + e.getMessage(), e);
        }
        return boxes;
    }
}
