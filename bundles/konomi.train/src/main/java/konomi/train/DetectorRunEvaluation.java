package konomi.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.train.EvalOptions;
import konomi.api.train.EvalResult;
import konomi.api.train.SplitSpec;
import konomi.api.train.TrainListener;
import konomi.imaging.Images;
import konomi.imaging.boxes.DetectionMetrics;
import konomi.nn.detect.DetectorMeta;
import konomi.util.AtomicFile;
import konomi.util.Text;

/**
 * eval:run on a detector run ({@code train:run --task detect}): its best {@code model.zip} measured on the run's
 * recorded test pictures (or on a split/folder from options), written into the report folder as {@code eval.json}
 * (figures, split, worst cases), {@code pr.png} and {@code pr.csv} (the precision-recall curve at IoU 0.5 with the
 * threshold's operating point), pictures of the worst misses ({@code misses/}) and false alarms ({@code false-alarms/})
 * drawn with OpenCV, and {@code index.html} showing them. Every file is written atomically; the picture folders are
 * replaced whole.
 */
record DetectorRunEvaluation(Path model, Path dataset, EvalOptions o, TrainListener listener) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Pictures per forward pass (the same as the launcher test's training batch, so the figures agree bit for bit). */
    static final int BATCH = 8;
    /** Longest side of a drawn picture. */
    static final int SIDE = 360;
    private static final Scalar GREEN = new Scalar(40, 200, 40, 0), RED = new Scalar(40, 40, 230, 0), ORANGE = new Scalar(0, 150, 255, 0);



    /** Whether a model path (run folder or its model.zip) is a detector run. */
    static boolean isDetector(Path model) {
        Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
        return dir != null && DetectorMeta.isDetector(dir.resolve("model.json"));
    }

    /** The pictures measured, their boxes and where they came from. */
    record Chosen(List<Sample> samples, Map<String, List<Box>> truth, String source, String description) {
    }

    EvalResult run() {
        Path zip = Files.isDirectory(model) ? model.resolve("model.zip") : model;
        Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
        if (!Files.isRegularFile(zip)) {
            throw new KonomiException(zip + ": no such model (a detector run folder holds model.zip)");
        }
        DetectorMeta meta = DetectorMeta.read(dir.resolve("model.json"));
        Chosen chosen = choose(dir);
        if (chosen.samples().isEmpty()) {
            throw new KonomiException(dataset + ": no labelled pictures in the " + (o.part() == EvalOptions.Part.ALL ? "dataset" : "test part"));
        }
        MultiLayerNetwork net = Loop.restore(zip, false);
        long t0 = System.nanoTime();
        Map<String, List<Face>> found = DetectionRun.detect(net, meta, chosen.samples(), BATCH, DetectionRun.AP_FLOOR);
        double seconds = (System.nanoTime() - t0) / 1e9;
        DetectionReport report = DetectionReport.of(chosen.truth(), found, meta.threshold(), o.threshold(), o.top());
        Map<String, Double> metrics = new LinkedHashMap<>(report.metrics());
        metrics.put("images_per_s", chosen.samples().size() / Math.max(seconds, 1e-9));
        Path out = (o.output() != null ? o.output() : dir.resolve("eval")).toAbsolutePath();
        try {
            Files.createDirectories(out);
            write(out, dir, meta, chosen, report, metrics);
        } catch (IOException e) {
            throw new KonomiException(out + ": cannot write the report: " + e.getMessage(), e);
        }
        return new EvalResult(metrics, chosen.description(), chosen.samples().stream().map(Sample::id).toList(), List.of(),
                out.resolve("eval.json"), out.resolve("index.html"));
    }

    /** By default exactly the run's recorded test pictures; a split or all pictures when options say so. */
    private Chosen choose(Path dir) {
        if (o.groups().isPresent()) {
            throw new KonomiException("--groups does not apply to a detector (its split is by picture, or by the dataset's split.csv)");
        }
        Path record = dir.resolve(DetectionRun.SPLIT_FILE);
        Map<Path, List<Box>> boxes = new HashMap<>();
        if (o.part() == EvalOptions.Part.ALL) {
            List<Sample> all = DetectionData.samples(dataset, "", boxes);
            String d = "split from options, not the run's recorded split: all " + all.size() + " labelled pictures of " + dataset;
            listener.message(d);
            return new Chosen(all, DetectionRun.truth(all, boxes), "options", d);
        }
        JsonNode recorded = null;
        if (Files.isRegularFile(record)) {
            try {
                recorded = JSON.readTree(record.toFile());
            } catch (IOException e) {
                throw new KonomiException(record + ": unreadable recorded split: " + e.getMessage(), e);
            }
        }
        if (recorded != null && !o.overridesSplit()) {
            List<String> ids = new ArrayList<>();
            recorded.path("test_files").forEach(f -> ids.add(f.asText()));
            if (ids.isEmpty()) {
                throw new KonomiException(record + ": training held back no test pictures; give --split all, or --test F to draw a test part again");
            }
            Map<String, Sample> byId = new HashMap<>();
            DetectionData.samples(dataset, "", boxes).forEach(s -> byId.put(s.id(), s));
            List<Sample> samples = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String id : ids) {
                Sample s = byId.get(id);
                if (s == null) {
                    missing.add(id);
                } else {
                    samples.add(s);
                }
            }
            if (!missing.isEmpty()) {
                throw new KonomiException(dataset + ": does not match the run's recorded split " + record + ": " + missing.size() + " of "
                        + ids.size() + " recorded test pictures missing or unlabelled (first " + missing.get(0) + ")");
            }
            String d = String.format(Locale.ROOT, "the run's recorded test part: %d pictures (%s)", samples.size(), recorded.path("from").asText());
            listener.message("evaluating " + d);
            return new Chosen(samples, DetectionRun.truth(samples, boxes), "recorded", d);
        }
        SplitSpec spec = recorded == null ? SplitSpec.defaults()
                : new SplitSpec(recorded.path("seed").asLong(SplitSpec.DEFAULT_SEED), recorded.path("val").asDouble(SplitSpec.defaults().val()),
                        recorded.path("test").asDouble(SplitSpec.defaults().test()), null);
        if (o.seed().isPresent()) {
            spec = spec.withSeed(o.seed().getAsLong());
        }
        if (o.val().isPresent()) {
            spec = spec.withVal(o.val().getAsDouble());
        }
        if (o.test().isPresent()) {
            spec = spec.withTest(o.test().getAsDouble());
        }
        DetectionData data = DetectionData.read(dataset, List.of(), spec);
        String what = "test part of " + data.test().size() + " pictures (" + data.splitFrom() + ", val " + spec.val() + ", test " + spec.test() + ")";
        String d = recorded != null ? "split from options, not the run's recorded split: " + what
                : "no recorded split in " + dir + ": drawn again, the " + what;
        listener.message(d);
        return new Chosen(data.test(), DetectionRun.truth(data.test(), data.boxes()), recorded != null ? "options" : "drawn-again", d);
    }

    private void write(Path out, Path dir, DetectorMeta meta, Chosen chosen, DetectionReport report, Map<String, Double> metrics)
            throws IOException {
        Map<String, Path> files = new HashMap<>();
        chosen.samples().forEach(s -> files.put(s.id(), s.file()));
        AtomicFile.write(out.resolve("pr.png"), prChart(report, meta.threshold(), o.threshold().isPresent() ? o.threshold().getAsDouble() : -1));
        AtomicFile.writeString(out.resolve("pr.csv"), prCsv(report.curve()));

        ObjectNode json = JSON.createObjectNode();
        json.put("task", DetectorMeta.TASK);
        json.put("model", dir.toAbsolutePath().toString());
        json.put("dataset", dataset.toAbsolutePath().toString());
        ObjectNode sp = json.putObject("split");
        sp.put("part", o.part() == EvalOptions.Part.ALL ? "all" : "test");
        sp.put("source", chosen.source());
        sp.put("description", chosen.description());
        sp.put("pictures", chosen.samples().size());
        json.set("metrics", JSON.valueToTree(metrics));
        json.put("operating_threshold", report.operating());
        json.set("files", JSON.valueToTree(chosen.samples().stream().map(Sample::id).toList()));

        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Konomi detector evaluation</title>"
                + "<style>body{font:14px system-ui,sans-serif;margin:24px}table{border-collapse:collapse}td,th{padding:3px 6px;"
                + "border:1px solid #ddd;text-align:right}.g{display:flex;flex-wrap:wrap;gap:12px}.g div{font-size:12px;max-width:" + SIDE
                + "px}</style></head><body>");
        html.append("<h1>Evaluation of the detector ").append(esc(dir.toAbsolutePath().normalize().getFileName().toString())).append("</h1><p>")
                .append(chosen.samples().size()).append(" pictures of ").append(esc(dataset.toString())).append(": ").append(esc(chosen.description()))
                .append("</p><h2>Metrics</h2><table>");
        metrics.forEach((k, v) -> html.append("<tr><th>").append(esc(k)).append("</th><td>").append(fmt(v)).append("</td></tr>"));
        html.append("</table><h2>Precision and recall (IoU 0.5)</h2><p>the dot marks the threshold ").append(fmt(meta.threshold()))
                .append(" of the model").append(o.threshold().isPresent() ? ", the square " + fmt(o.threshold().getAsDouble()) : "")
                .append("; <a href=\"pr.csv\">pr.csv</a></p><img src=\"pr.png\" width=\"640\" height=\"480\" alt=\"precision-recall curve\">");

        Path missesDir = out.resolve("misses"), alarmsDir = out.resolve("false-alarms");
        Path stagedMisses = Files.createTempDirectory(out, ".misses-"), stagedAlarms = Files.createTempDirectory(out, ".false-alarms-");
        try {
            ArrayNode mj = json.putArray("misses");
            html.append("<h2>Worst misses</h2><p>labelled faces (green) that no detection at or above ").append(fmt(report.operating()))
                    .append(" found, with the detections overlapping them (orange)</p><div class=\"g\">");
            int k = 0;
            for (DetectionReport.Miss m : report.misses()) {
                String name = String.format(Locale.ROOT, "%02d.jpg", ++k);
                Files.write(stagedMisses.resolve(name), drawMiss(files.get(m.image()), m, chosen.truth().get(m.image())));
                ObjectNode n = mj.addObject();
                n.put("file", m.image());
                n.put("picture", "misses/" + name);
                n.set("truth", JSON.valueToTree(List.of(m.truth().x1(), m.truth().y1(), m.truth().x2(), m.truth().y2())));
                n.put("best_confidence", m.best());
                html.append("<div><img src=\"misses/").append(name).append("\" alt=\"").append(esc(m.image())).append("\"><br>")
                        .append(esc(m.image())).append("<br>face ").append(box(m.truth())).append("<br>best overlapping detection ")
                        .append(m.best() > 0 ? fmt(m.best()) : "none").append("</div>");
            }
            html.append("</div>");
            ArrayNode fj = json.putArray("false_alarms");
            html.append("<h2>Worst false alarms</h2><p>the most confident detections (red) that match no labelled face (green) at IoU 0.5")
                    .append("</p><div class=\"g\">");
            k = 0;
            for (DetectionMetrics.Ranked r : report.falseAlarms()) {
                String name = String.format(Locale.ROOT, "%02d.jpg", ++k);
                Files.write(stagedAlarms.resolve(name), drawAlarm(files.get(r.image()), r.face(), chosen.truth().get(r.image())));
                ObjectNode n = fj.addObject();
                n.put("file", r.image());
                n.put("picture", "false-alarms/" + name);
                Box b = r.face().box();
                n.set("box", JSON.valueToTree(List.of(b.x1(), b.y1(), b.x2(), b.y2())));
                n.put("confidence", r.face().confidence());
                html.append("<div><img src=\"false-alarms/").append(name).append("\" alt=\"").append(esc(r.image())).append("\"><br>")
                        .append(esc(r.image())).append("<br>detection ").append(box(b)).append("<br>confidence ")
                        .append(fmt(r.face().confidence())).append(r.face().confidence() >= report.operating() ? "" : " (below the threshold)")
                        .append("</div>");
            }
            html.append("</div></body></html>\n");
            replace(stagedMisses, missesDir);
            replace(stagedAlarms, alarmsDir);
        } finally {
            deleteTree(stagedMisses);
            deleteTree(stagedAlarms);
        }
        AtomicFile.writeString(out.resolve("eval.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        AtomicFile.writeString(out.resolve("index.html"), html.toString());
    }

    /** The precision-recall curve at IoU 0.5, with the model's threshold (dot) and the asked one (square, if >= 0). */
    static byte[] prChart(DetectionReport report, double model, double asked) throws IOException {
        XYSeries curve = new XYSeries("precision-recall (IoU 0.5)", false, true), at = new XYSeries("model threshold " + fmt(model)),
                other = new XYSeries("threshold " + fmt(asked));
        for (DetectionMetrics.Ranked r : report.curve()) {
            curve.add(r.recall(), r.precision());
        }
        double[] p = report.pointAt(model);
        at.add(p[0], p[1]);
        XYSeriesCollection c = new XYSeriesCollection();
        c.addSeries(curve);
        c.addSeries(at);
        if (asked >= 0) {
            double[] q = report.pointAt(asked);
            other.add(q[0], q[1]);
            c.addSeries(other);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(String.format(Locale.ROOT, "AP@0.5 %.3f", report.metrics().get("ap50")), "recall",
                "precision", c, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.getDomainAxis().setRange(0, 1.02);
        plot.getRangeAxis().setRange(0, 1.02);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesShapesVisible(0, false);
        r.setSeriesPaint(0, new Color(40, 80, 200));
        r.setSeriesStroke(0, new BasicStroke(2f));
        for (int s = 1; s < c.getSeriesCount(); s++) {
            r.setSeriesLinesVisible(s, false);
            r.setSeriesShapesVisible(s, true);
        }
        r.setSeriesShape(1, new java.awt.geom.Ellipse2D.Double(-6, -6, 12, 12));
        r.setSeriesPaint(1, Color.RED);
        r.setSeriesShape(2, new java.awt.geom.Rectangle2D.Double(-6, -6, 12, 12));
        r.setSeriesPaint(2, new Color(255, 150, 0));
        plot.setRenderer(r);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, 640, 480);
        return png.toByteArray();
    }

    /** confidence,recall,precision after each detection, most confident first. */
    static String prCsv(List<DetectionMetrics.Ranked> curve) throws IOException {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').setHeader("confidence", "recall", "precision").build())) {
            for (DetectionMetrics.Ranked r : curve) {
                p.printRecord(f6(r.face().confidence()), f6(r.recall()), f6(r.precision()));
            }
        }
        return w.toString();
    }

    /** The missed face (green) and the detections near it (orange, with confidence), cut around the face. */
    static byte[] drawMiss(Path file, DetectionReport.Miss m, List<Box> truth) {
        Image img = DetectionBatches.decode(file);
        return draw(img, m.truth(), List.of(m.truth()), m.nearby(), ORANGE);
    }

    /** The false alarm (red, with confidence) and the labelled faces of its picture (green), cut around the detection. */
    static byte[] drawAlarm(Path file, Face alarm, List<Box> truth) {
        Image img = DetectionBatches.decode(file);
        return draw(img, alarm.box(), truth == null ? List.of() : truth, List.of(alarm), RED);
    }

    /** Boxes drawn on the picture, then the region around {@code focus} cut out and shrunk to {@link #SIDE} at most, as JPEG. */
    static byte[] draw(Image img, Box focus, List<Box> green, List<Face> detections, Scalar colour) {
        Box region = Images.withMargin(clip(focus, img), 1.0, img.width(), img.height());
        double scale = Math.min(1.0, (double) SIDE / Math.max(region.width(), region.height()));
        // lines 3 px and text of a readable size in the picture as shown, whatever the picture's own size
        int thick = Math.max(3, (int) Math.round(3 / scale));
        double fontScale = 0.5 / scale;
        Image drawn;
        try (Mat mat = Images.toMat(img)) {
            for (Box b : green) {
                rect(mat, b, GREEN, thick);
            }
            for (Face f : detections) {
                rect(mat, f.box(), colour, thick);
                // inside the box's top left corner, so that the cut keeps it
                try (Point at = new Point(Math.max(0, f.box().x1()) + 2 * thick, Math.max(0, f.box().y1()) + (int) (22 * fontScale) + thick)) {
                    opencv_imgproc.putText(mat, String.format(Locale.ROOT, "%.2f", f.confidence()), at, opencv_imgproc.FONT_HERSHEY_SIMPLEX,
                            fontScale, colour, Math.max(1, thick / 2), opencv_imgproc.LINE_AA, false);
                }
            }
            drawn = Images.fromMat(img.id(), mat);
        }
        Image cut = Images.crop(drawn, region);
        Image small = Images.resize(cut, Math.max(1, (int) Math.round(cut.width() * scale)), Math.max(1, (int) Math.round(cut.height() * scale)));
        return Images.jpeg(small, 90);
    }

    private static Box clip(Box b, Image img) {
        int x1 = Math.max(0, Math.min(img.width() - 1, b.x1())), y1 = Math.max(0, Math.min(img.height() - 1, b.y1()));
        return new Box(x1, y1, Math.max(x1 + 1, Math.min(img.width(), b.x2())), Math.max(y1 + 1, Math.min(img.height(), b.y2())));
    }

    private static void rect(Mat mat, Box b, Scalar colour, int thick) {
        try (Point p1 = new Point(b.x1(), b.y1()); Point p2 = new Point(b.x2(), b.y2())) {
            opencv_imgproc.rectangle(mat, p1, p2, colour, thick, opencv_imgproc.LINE_AA, 0);
        }
    }

    /** Puts a staged folder in place of {@code target}, whole: the old one is moved aside first and deleted after. */
    static void replace(Path staged, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = Files.createTempDirectory(target.getParent(), ".old-");
            Files.move(target, old.resolve("x"), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    private static String box(Box b) {
        return b.x1() + "," + b.y1() + "," + b.x2() + "," + b.y2();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String f6(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    private static String esc(String s) {
        return Text.html(s);
    }
}
