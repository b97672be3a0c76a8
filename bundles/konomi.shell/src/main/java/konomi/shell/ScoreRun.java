package konomi.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import konomi.util.AtomicFile;
import konomi.api.Box;
import konomi.api.Face;
import konomi.api.Image;
import konomi.api.ImageSource;
import konomi.api.KonomiException;
import konomi.api.Score;
import konomi.api.SourceItem;
import konomi.imaging.Images;

/**
 * One {@code score:run}: streams images, finds faces (or takes each image as a face), crops each with a
 * margin, scores the crops with every chosen scorer, and writes results.json, results.csv and report.html
 * into the output folder. Memory stays bounded: per image only a summary line is kept for the ranking, and
 * thumbnails only for the images currently in the report's top N. An image's score is its best face's
 * score from the first scorer; images without faces rank last.
 */
final class ScoreRun {
    record Options(String location, List<ScorerSelection.Bound> scorers, DetectorSelection.Bound detector, boolean faces,
                   Path out, int top, double margin, int reportSize, PrintStream progress) {
    }

    /** What the ranking keeps of an image. */
    record Summary(String id, double score, int faces, String label) {
    }

    /** A report entry: a thumbnail with its faces, kept only while in the top N. */
    record Shown(Summary summary, byte[] jpeg, int width, int height, List<Face> faces, List<List<Score>> scores) {
    }

    private static final JsonFactory JSON = new JsonFactory();
    private final Options o;
    private final List<Summary> summaries = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final PriorityQueue<Shown> shown = new PriorityQueue<>(Comparator.comparingDouble((Shown s) -> s.summary.score()));
    private final List<Double> allScores = new ArrayList<>();
    private int faceCount;

    ScoreRun(Options o) {
        this.o = o;
    }

    /** Runs to the end; returns the ranked summaries. */
    List<Summary> run(ImageSource source) throws IOException {
        List<SourceItem> items;
        try (Stream<SourceItem> s = source.open(o.location)) {
            items = s.toList(); // references only; pixels are read one image at a time below
        }
        Files.createDirectories(o.out);
        long t0 = System.nanoTime();
        Path imagesJson = o.out.resolve(".images.json.tmp");
        try (AtomicFile csv = new AtomicFile(o.out.resolve("results.csv"), true);
             OutputStream jsonOut = Files.newOutputStream(imagesJson);
             JsonGenerator json = JSON.createGenerator(jsonOut, JsonEncoding.UTF8)) {
            csv.writer().write(csvHeader());
            json.writeStartArray();
            Progress progress = new Progress(o.progress, items.size());
            for (SourceItem item : items) {
                process(item, csv.writer(), json);
                progress.step(summaries.size(), faceCount);
            }
            progress.done();
            json.writeEndArray();
            json.close();
            csv.commit();
            double seconds = (System.nanoTime() - t0) / 1e9;
            writeResultsJson(imagesJson, seconds);
            summaries.sort(Comparator.comparingDouble(Summary::score).reversed());
            new HtmlReport(o, ranked(), allScores, summaries.size(), faceCount, errors, seconds).write(o.out.resolve("report.html"));
        } finally {
            Files.deleteIfExists(imagesJson);
        }
        return summaries;
    }

    List<String> errors() {
        return errors;
    }

    int faceCount() {
        return faceCount;
    }

    private void process(SourceItem item, Writer csv, JsonGenerator json) throws IOException {
        Image image;
        try {
            image = Images.decode(item.id(), item.read());
        } catch (IOException e) {
            error(item.id(), "cannot read: " + e.getMessage(), json);
            return;
        } catch (KonomiException e) {
            error(item.id(), e.getMessage().startsWith(item.id() + ": ") ? e.getMessage().substring(item.id().length() + 2) : e.getMessage(), json);
            return;
        }
        List<Face> faces = o.faces ? List.of(new Face(new Box(0, 0, image.width(), image.height()), 1.0))
                : o.detector.detector().detect(image);
        List<Image> crops = new ArrayList<>(faces.size());
        for (Face f : faces) {
            crops.add(o.faces ? image : Images.crop(image, Images.withMargin(f.box(), o.margin, image.width(), image.height())));
        }
        List<List<Score>> perFace = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            perFace.add(new ArrayList<>());
        }
        if (!faces.isEmpty()) {
            for (ScorerSelection.Bound s : o.scorers) {
                List<Score> scores = s.scorer().score(crops);
                for (int i = 0; i < faces.size(); i++) {
                    perFace.get(i).add(scores.get(i));
                }
            }
        }
        int best = -1;
        for (int i = 0; i < faces.size(); i++) {
            if (best < 0 || perFace.get(i).get(0).value() > perFace.get(best).get(0).value()) {
                best = i;
            }
        }
        // the label shown is the first classifier's verdict on the best face, whichever scorer ranks
        String label = best < 0 ? null : perFace.get(best).stream().map(Score::label).filter(l -> l != null).findFirst().orElse(null);
        Summary sum = new Summary(item.id(), best < 0 ? Double.NEGATIVE_INFINITY : perFace.get(best).get(0).value(), faces.size(), label);
        summaries.add(sum);
        faceCount += faces.size();
        if (best >= 0) {
            allScores.add(sum.score());
        }
        writeCsv(csv, item.id(), faces, perFace);
        writeJson(json, item.id(), image, sum, faces, perFace);
        keepForReport(sum, image, faces, perFace);
    }

    private void keepForReport(Summary sum, Image image, List<Face> faces, List<List<Score>> perFace) {
        if (shown.size() >= o.top && (shown.isEmpty() || sum.score() <= shown.peek().summary.score())) {
            return;
        }
        double k = Math.min(1.0, (double) o.reportSize / Math.max(image.width(), image.height()));
        int w = Math.max(1, (int) Math.round(image.width() * k)), h = Math.max(1, (int) Math.round(image.height() * k));
        byte[] jpeg = Images.jpeg(Images.resize(image, w, h), 85);
        shown.add(new Shown(sum, jpeg, image.width(), image.height(), faces, perFace));
        if (shown.size() > o.top) {
            shown.poll();
        }
    }

    private List<Shown> ranked() {
        List<Shown> r = new ArrayList<>(shown);
        r.sort(Comparator.comparingDouble((Shown s) -> s.summary.score()).reversed());
        return r;
    }

    private void error(String id, String message, JsonGenerator json) throws IOException {
        errors.add(id + ": " + message);
        json.writeStartObject();
        json.writeStringField("file", id);
        json.writeStringField("error", message);
        json.writeEndObject();
    }

    private String csvHeader() {
        StringBuilder sb = new StringBuilder("file,face,x1,y1,x2,y2,confidence");
        for (ScorerSelection.Bound s : o.scorers) {
            if ("classification".equals(s.type())) {
                sb.append(',').append(s.name()).append("_label,").append(s.name()).append("_p");
            } else {
                sb.append(',').append(s.name());
            }
        }
        return sb.append('\n').toString();
    }

    private void writeCsv(Writer csv, String id, List<Face> faces, List<List<Score>> perFace) throws IOException {
        for (int i = 0; i < faces.size(); i++) {
            Face f = faces.get(i);
            StringBuilder sb = new StringBuilder(DetectCommands.csvField(id)).append(',').append(i).append(',').append(f.box())
                    .append(',').append(fmt(f.confidence()));
            for (Score s : perFace.get(i)) {
                if (s.label() != null) {
                    sb.append(',').append(DetectCommands.csvField(s.label()));
                }
                sb.append(',').append(fmt(s.value()));
            }
            csv.write(sb.append('\n').toString());
        }
    }

    private void writeJson(JsonGenerator g, String id, Image image, Summary sum, List<Face> faces, List<List<Score>> perFace)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("file", id);
        g.writeNumberField("width", image.width());
        g.writeNumberField("height", image.height());
        if (sum.faces() > 0) {
            g.writeNumberField("score", round(sum.score()));
        } else {
            g.writeNullField("score");
        }
        g.writeArrayFieldStart("faces");
        for (int i = 0; i < faces.size(); i++) {
            Face f = faces.get(i);
            g.writeStartObject();
            g.writeArrayFieldStart("box");
            g.writeNumber(f.box().x1());
            g.writeNumber(f.box().y1());
            g.writeNumber(f.box().x2());
            g.writeNumber(f.box().y2());
            g.writeEndArray();
            g.writeNumberField("confidence", round(f.confidence()));
            g.writeObjectFieldStart("scores");
            for (Score s : perFace.get(i)) {
                g.writeObjectFieldStart(s.scorer());
                g.writeNumberField("value", round(s.value()));
                if (s.label() != null) {
                    g.writeStringField("label", s.label());
                    g.writeObjectFieldStart("probabilities");
                    for (Map.Entry<String, Double> e : s.probabilities().entrySet()) {
                        g.writeNumberField(e.getKey(), round(e.getValue()));
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The run description first, then the image entries streamed earlier, written atomically. */
    private void writeResultsJson(Path images, double seconds) throws IOException {
        java.io.StringWriter run = new java.io.StringWriter();
        try (JsonGenerator g = JSON.createGenerator(run)) {
            g.writeStartObject();
            g.writeStringField("finished", Instant.now().toString());
            g.writeStringField("source", o.location);
            g.writeBooleanField("faces_given", o.faces);
            if (!o.faces) {
                g.writeObjectFieldStart("detector");
                g.writeStringField("name", o.detector.name());
                g.writeStringField("version", o.detector.version());
                g.writeEndObject();
            }
            g.writeArrayFieldStart("scorers");
            for (ScorerSelection.Bound s : o.scorers) {
                g.writeStartObject();
                g.writeStringField("name", s.name());
                g.writeStringField("version", s.version());
                g.writeStringField("type", s.type());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("options");
            g.writeNumberField("margin", o.margin);
            g.writeNumberField("top", o.top);
            g.writeStringField("image_score", "best face, first scorer");
            g.writeEndObject();
            g.writeNumberField("images", summaries.size());
            g.writeNumberField("faces", faceCount);
            g.writeNumberField("errors", errors.size());
            g.writeNumberField("seconds", round(seconds));
            g.writeNumberField("images_per_s", round(summaries.size() / Math.max(seconds, 1e-9)));
            g.writeEndObject();
        }
        try (AtomicFile file = new AtomicFile(o.out.resolve("results.json"), true); InputStream in = Files.newInputStream(images)) {
            Writer w = file.writer();
            w.write("{\"run\": " + run + ",\n\"images\": ");
            try (java.io.Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
                r.transferTo(w);
            }
            w.write("}\n");
            file.commit();
        }
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** A one-line progress bar on the terminal: images done, images/s, ETA. */
    static final class Progress {
        private final PrintStream out;
        private final int total;
        private final long t0 = System.nanoTime();
        private long last;

        Progress(PrintStream out, int total) {
            this.out = out;
            this.total = total;
        }

        void step(int done, int faces) {
            if (out == null) {
                return;
            }
            long now = System.nanoTime();
            if (now - last < 200_000_000L && done < total) {
                return;
            }
            last = now;
            double secs = (now - t0) / 1e9, rate = done / Math.max(secs, 1e-9);
            int width = 30, filled = total == 0 ? width : (int) ((long) width * done / total);
            out.printf(Locale.ROOT, "\r[%s%s] %d/%d images, %d faces, %.1f images/s, ETA %s   ", "=".repeat(filled),
                    " ".repeat(width - filled), done, total, faces, rate, konomi.util.Text.duration((total - done) / Math.max(rate, 1e-9)));
            out.flush();
        }

        void done() {
            if (out != null) {
                out.println();
            }
        }
    }
}
