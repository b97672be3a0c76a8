package konomi.itest;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import konomi.api.Box;
import konomi.api.Image;
import konomi.api.ImageSource;
import konomi.api.SourceItem;
import konomi.imaging.Images;

/** ../shared/data, passed in as the framework property konomi.shared (test.bndrun -runproperties). */
final class SharedData {
    private SharedData() {
    }

    /** 12 illustrations with 31 face boxes checked by eye (evaluation only). */
    static Path plain() {
        String shared = System.getProperty("konomi.shared");
        if (shared == null) {
            throw new IllegalStateException("konomi.shared is not set: see test.bndrun -runproperties");
        }
        return Path.of(shared, "data", "anime_illustrations_plain");
    }

    /** The hand-checked face boxes of one picture of {@link #plain()}. */
    static List<Box> boxes(String file) throws IOException {
        List<Box> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(plain().resolve("boxes.csv"), StandardCharsets.UTF_8)) {
            for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
                if (r.get("file").equals(file)) {
                    out.add(new Box(Integer.parseInt(r.get("x1")), Integer.parseInt(r.get("y1")),
                            Integer.parseInt(r.get("x2")), Integer.parseInt(r.get("y2"))));
                }
            }
        }
        return out;
    }

    /** One picture of {@link #plain()}, read through the source service and decoded. */
    static Image picture(ImageSource source, String id) throws IOException {
        SourceItem item;
        try (var items = source.open(plain().toString())) {
            item = items.filter(i -> i.id().equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError(id + " not listed by source " + source.name()));
        }
        return Images.decode(item.id(), item.read());
    }
}
