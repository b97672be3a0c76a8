package konomi.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import konomi.api.Box;
import konomi.api.KonomiException;
import konomi.api.train.CompositeOptions;
import konomi.api.train.CompositeResult;
import konomi.api.train.TrainListener;
import konomi.imaging.Images;
import konomi.util.AtomicFile;
import konomi.util.Text;

/**
 * One {@code train:composite} run: checks the output folder, renders the pictures on a few threads (each picture
 * depends only on the seed and its index), writes each JPEG atomically as it is done and {@code boxes.csv} at the
 * end. {@code composite.json} (the options) marks the folder as composite output, which a later run may replace.
 */
final class Compositing {
    static final String MARKER = "composite.json", BOXES = "boxes.csv", IMAGES = "images";
    private static final Pattern PICTURE = Pattern.compile("(\\d+)\\.jpg");

    private Compositing() {
    }

    static CompositeResult run(CompositeOptions o, TrainListener listener) {
        long t0 = System.nanoTime();
        Path out = o.output().toAbsolutePath().normalize();
        boolean earlier = checkOutput(out);
        CompositeData data = new CompositeData(o.data());
        Composer composer = new Composer(data, o);
        Path images = out.resolve(IMAGES);
        try {
            Files.createDirectories(images);
            if (earlier) {
                Files.deleteIfExists(out.resolve(BOXES)); // stale until this run writes its own
                removeStale(images, o.count());
            }
        } catch (IOException e) {
            throw new KonomiException(out + ": cannot write: " + e.getMessage(), e);
        }
        AtomicFile.writeString(out.resolve(MARKER), marker(o));
        message(listener, String.format(Locale.ROOT, "composite: %d pictures into %s (seed %d; %d face crops, %d non-face patches, %d illustrations)",
                o.count(), out, o.seed(), data.crops.stream().mapToInt(List::size).sum(), data.tiles.size(), data.illustrations.size()));

        List<List<Box>> boxes = new ArrayList<>(o.count());
        ExecutorService pool = Executors.newFixedThreadPool(o.workers(), r -> {
            Thread t = new Thread(r, "konomi-composite");
            t.setDaemon(true);
            return t;
        });
        int faces = 0, negatives = 0;
        try {
            // submitted a window at a time, so a huge count holds no more than a few pending pictures
            int window = o.workers() * 4;
            List<Future<List<Box>>> pending = new ArrayList<>();
            int next = 0;
            int step = Math.max(1, o.count() / 10);
            for (int i = 0; i < o.count(); i++) {
                while (next < o.count() && next < i + window) {
                    int index = next++;
                    pending.add(pool.submit(() -> write(composer, index, images, o.quality())));
                }
                List<Box> b = get(pending.set(i, null));
                boxes.add(b);
                faces += b.size();
                negatives += b.isEmpty() ? 1 : 0;
                if ((i + 1) % step == 0 || i + 1 == o.count()) {
                    double s = (System.nanoTime() - t0) / 1e9, rate = (i + 1) / s;
                    message(listener, String.format(Locale.ROOT, "composite %d/%d pictures, %d faces, %.1f pictures/s, ETA %s",
                            i + 1, o.count(), faces, rate, Text.duration((o.count() - i - 1) / rate)));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Path csv = out.resolve(BOXES);
        try (AtomicFile f = new AtomicFile(csv, true)) {
            CSVPrinter p = new CSVPrinter(f.writer(), CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                    .setHeader("file", "x1", "y1", "x2", "y2").build());
            for (int i = 0; i < boxes.size(); i++) {
                for (Box b : boxes.get(i)) {
                    p.printRecord(IMAGES + "/" + name(i), b.x1(), b.y1(), b.x2(), b.y2());
                }
            }
            p.flush();
            f.commit();
        } catch (IOException e) {
            throw new KonomiException(csv + ": cannot write: " + e.getMessage(), e);
        }
        return new CompositeResult(out, csv, o.count(), faces, negatives, (System.nanoTime() - t0) / 1e9);
    }

    static String name(int index) {
        return String.format(Locale.ROOT, "%05d.jpg", index);
    }

    private static List<Box> write(Composer composer, int index, Path images, int quality) {
        Composer.Picture p = composer.render(index, true);
        AtomicFile.write(images.resolve(name(index)), Images.jpeg(p.image(), quality));
        return p.boxes();
    }

    private static List<Box> get(Future<List<Box>> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KonomiException k) {
                throw k;
            }
            throw new KonomiException("composite failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KonomiException("composite interrupted");
        }
    }

    /** Whether {@code out} holds an earlier composite output; refuses a file or a foreign non-empty folder. */
    private static boolean checkOutput(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new KonomiException(out + ": not a folder");
        }
        if (!Files.isDirectory(out)) {
            return false;
        }
        if (Files.isRegularFile(out.resolve(MARKER))) {
            return true;
        }
        try (Stream<Path> s = Files.list(out)) {
            if (s.findAny().isPresent()) {
                throw new KonomiException(out + ": folder is not empty and not a train:composite output (no " + MARKER
                        + "); choose another --out");
            }
        } catch (IOException e) {
            throw new KonomiException(out + ": cannot list: " + e.getMessage(), e);
        }
        return false;
    }

    /** Pictures of an earlier, larger run that this one will not write: they would pass for face-free pictures. */
    private static void removeStale(Path images, int count) throws IOException {
        try (Stream<Path> s = Files.list(images)) {
            for (Path p : s.toList()) {
                var m = PICTURE.matcher(p.getFileName().toString());
                if (m.matches() && (m.group(1).length() > 9 || Integer.parseInt(m.group(1)) >= count)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String marker(CompositeOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "konomi train:composite output");
        m.put("data", o.data().toAbsolutePath().normalize().toString());
        m.put("count", o.count());
        m.put("seed", o.seed());
        m.put("maxFaces", o.maxFaces());
        m.put("negatives", o.negatives());
        m.put("minFace", o.minFace());
        m.put("maxFace", o.maxFace());
        m.put("minSide", o.minSide());
        m.put("maxSide", o.maxSide());
        m.put("maxRotation", o.maxRotation());
        m.put("illustrations", o.illustrations());
        m.put("quality", o.quality());
        Map<String, Object> crops = new LinkedHashMap<>();
        for (CompositeData.FaceSet s : CompositeData.FaceSet.values()) {
            crops.put(s.folder, List.of(s.fx1, s.fy1, s.fx2, s.fy2));
        }
        m.put("tightBoxInCrop", crops);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
        } catch (IOException e) {
            throw new KonomiException("composite.json: " + e.getMessage(), e);
        }
    }

    private static void message(TrainListener listener, String text) {
        if (listener != null) {
            listener.message(text);
        }
    }
}
