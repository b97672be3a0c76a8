package konomi.imaging.boxes;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import konomi.api.Box;
import konomi.api.KonomiException;
import konomi.imaging.ImageHeader;

/**
 * Labelled face boxes of a dataset, in original pixels, keyed by image path relative to the dataset folder
 * ({@code /} separated). Two layouts are read:
 * <ul>
 * <li>{@code boxes.csv} with header {@code file,x1,y1,x2,y2};</li>
 * <li>YOLO text labels: {@code labels/<stem>.txt} next to the images (in the folder itself or in {@code images/}),
 * one {@code class cx cy w h} line per box, normalised to the image size; an empty or missing file means no face.
 * Images in sub-folders have theirs under the same sub-folder: {@code sub/a.jpg} → {@code labels/sub/a.txt}.</li>
 * </ul>
 */
public final class BoxLabels {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).build();
    private static final List<String> IMAGE_EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif");

    private BoxLabels() {
    }

    /**
     * The labels of a dataset folder: its {@code boxes.csv} when there is one, otherwise its YOLO {@code labels/}
     * folder; a file path is read as a boxes CSV.
     */
    public static Map<String, List<Box>> read(Path dataset) {
        if (Files.isRegularFile(dataset)) {
            return readCsv(dataset);
        }
        if (!Files.isDirectory(dataset)) {
            throw new KonomiException(dataset + ": folder not found");
        }
        if (Files.isRegularFile(dataset.resolve("boxes.csv"))) {
            return readCsv(dataset.resolve("boxes.csv"));
        }
        if (Files.isDirectory(dataset.resolve("labels"))) {
            return readYolo(dataset);
        }
        throw new KonomiException(dataset + ": no boxes.csv and no labels/ folder of YOLO text files");
    }

    /** Boxes from a CSV with header {@code file,x1,y1,x2,y2}; every image listed once or more. */
    public static Map<String, List<Box>> readCsv(Path csv) {
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
                    boxes.computeIfAbsent(rec.get("file"), k -> new ArrayList<>()).add(new Box(
                            (int) Math.round(Double.parseDouble(rec.get("x1"))), (int) Math.round(Double.parseDouble(rec.get("y1"))),
                            (int) Math.round(Double.parseDouble(rec.get("x2"))), (int) Math.round(Double.parseDouble(rec.get("y2")))));
                } catch (IllegalArgumentException e) {
                    throw new KonomiException(where + ": bad box: " + e.getMessage());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new KonomiException(csv + ": cannot read: " + e.getMessage(), e);
        }
        return boxes;
    }

    /**
     * Boxes from YOLO labels: every image of {@code dataset} (or of {@code dataset/images}), sub-folders included
     * (as the folder source reads them; the {@code labels} folder itself left out), with its {@code labels/<relative stem>.txt};
     * images without a label file have no face. Image sizes come from the headers.
     */
    public static Map<String, List<Box>> readYolo(Path dataset) {
        Path labels = dataset.resolve("labels");
        Path images = Files.isDirectory(dataset.resolve("images")) ? dataset.resolve("images") : dataset;
        String prefix = images.equals(dataset) ? "" : "images/";
        Map<String, List<Box>> boxes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(images, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            List<Path> found = files.filter(p -> !p.startsWith(labels)).filter(BoxLabels::isImage)
                    .sorted(java.util.Comparator.comparing(p -> images.relativize(p).toString())).toList();
            for (Path image : found) {
                String name = images.relativize(image).toString().replace('\\', '/');
                Path txt = labels.resolve(stem(name) + ".txt");
                List<Box> list = new ArrayList<>();
                if (Files.isRegularFile(txt)) {
                    ImageHeader h = header(image);
                    int lineNo = 0;
                    for (String line : Files.readAllLines(txt, StandardCharsets.UTF_8)) {
                        lineNo++;
                        if (line.isBlank()) {
                            continue;
                        }
                        String[] f = line.trim().split("\\s+");
                        try {
                            if (f.length != 5) {
                                throw new IllegalArgumentException("expected 'class cx cy w h'");
                            }
                            double cx = Double.parseDouble(f[1]) * h.width(), cy = Double.parseDouble(f[2]) * h.height();
                            double w = Double.parseDouble(f[3]) * h.width(), hh = Double.parseDouble(f[4]) * h.height();
                            list.add(new Box((int) Math.round(cx - w / 2), (int) Math.round(cy - hh / 2),
                                    (int) Math.round(cx + w / 2), (int) Math.round(cy + hh / 2)));
                        } catch (IllegalArgumentException e) {
                            throw new KonomiException(txt + ":" + lineNo + ": bad YOLO label: " + e.getMessage());
                        }
                    }
                }
                boxes.put(prefix + name, list);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new KonomiException(images + ": cannot list: " + e.getMessage(), e);
        }
        return boxes;
    }

    /** One image's boxes as YOLO text ({@code 0 cx cy w h} per line, normalised), the format {@link #readYolo} reads. */
    public static String yolo(List<Box> boxes, int width, int height) {
        StringBuilder s = new StringBuilder();
        for (Box b : boxes) {
            s.append(String.format(Locale.ROOT, "0 %.6f %.6f %.6f %.6f%n", (b.x1() + b.x2()) / 2.0 / width,
                    (b.y1() + b.y2()) / 2.0 / height, (double) b.width() / width, (double) b.height() / height));
        }
        return s.toString();
    }

    /** Whether a file name ends with an image extension Konomi reads. */
    public static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && IMAGE_EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /** A file name without its extension. */
    public static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** An image file's header (format and size) without decoding it; a one-line error when it is not an image. */
    public static ImageHeader header(Path image) {
        byte[] head;
        try (InputStream in = Files.newInputStream(image)) {
            head = in.readNBytes(256 * 1024); // JPEG headers can sit behind large EXIF blocks
        } catch (IOException e) {
            throw new KonomiException(image + ": cannot read: " + e.getMessage(), e);
        }
        ImageHeader h = ImageHeader.read(head);
        if (h == null) {
            throw new KonomiException(image + ": not an image Konomi can read (unknown or cut-short header)");
        }
        return h;
    }
}
