package konomi.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.train.EvalOptions;
import konomi.api.train.EvalResult;
import konomi.api.train.SplitSpec;
import konomi.api.train.TrainListener;
import konomi.imaging.Images;
import konomi.nn.ModelMeta;
import konomi.nn.Tensors;
import konomi.util.AtomicFile;
import konomi.util.Text;

/**
 * eval:run: a trained model measured on a dataset (by default the test part of the same seeded split
 * training used), written as eval.json and a self-contained eval.html: learning curves (from the run's
 * train.csv), confusion matrix heat map and per-class precision/recall, or a predicted-against-true scatter
 * with its calibration line for regression, and the images with the largest losses. Charts are drawn by
 * JFreeChart as PNG and inlined.
 */
record Evaluation(Path model, Path dataset, EvalOptions o, TrainListener listener) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 64;


    EvalResult run() {
        Path zip = Files.isDirectory(model) ? model.resolve("model.zip") : model;
        Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
        ModelMeta meta = ModelMeta.read(dir.resolve("model.json"));
        Chosen chosen = choose(dir, meta);
        List<Sample> samples = chosen.samples();
        if (samples.isEmpty()) {
            throw new KonomiException(dataset + ": no images in the " + (o.part() == EvalOptions.Part.ALL ? "dataset" : "test part"));
        }
        Model net = Loop.restoreModel(zip, false);
        ImageCache cache = new ImageCache(samples, Tensors.cropFrom(meta.size()), o.workers());
        cache.skipped.forEach(s -> listener.message("skipped " + s));
        int classes = meta.classification() ? meta.labels().size() : 0;
        int n = cache.size();
        Loop.Outputs y = Loop.outputs(net, new Batches(cache, meta.size(), classes, net), classes, BATCH, meta.flipTest());
        float[][] probs = y.probs();
        double[] pred = y.pred(), truth = new double[n], loss = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Sample s = cache.samples.get(i);
            if (classes > 0) {
                labels[i] = s.label();
                truth[i] = s.label(); // the reliability diagram compares it with the top class
                loss[i] = -Math.log(Math.max(probs[i][s.label()], 1e-7));
            } else {
                truth[i] = s.target();
                loss[i] = (pred[i] - truth[i]) * (pred[i] - truth[i]);
            }
        }
        int[][] confusion = classes > 0 ? new int[classes][classes] : null;
        Map<String, Double> metrics = classes > 0 ? Metrics.classification(probs, labels, confusion) : Metrics.regression(pred, truth);
        Path out = o.output() != null ? o.output() : dir.resolve("eval");
        try {
            Files.createDirectories(out);
            write(out, meta, dir, chosen, cache, probs, pred, truth, loss, confusion, metrics);
        } catch (IOException e) {
            throw new KonomiException(out + ": cannot write the report: " + e.getMessage(), e);
        }
        return new EvalResult(metrics, chosen.description(), cache.samples.stream().map(Sample::id).toList(), cache.skipped,
                out.resolve("eval.json").toAbsolutePath(), out.resolve("eval.html").toAbsolutePath());
    }

    /**
     * The images to measure and where they came from.
     *
     * @param source      {@code recorded}, {@code options} or {@code drawn-again} (an old run without split.json)
     * @param description one line for people
     */
    record Chosen(List<Sample> samples, String source, SplitSpec spec, String description) {
    }

    /**
     * By default exactly the run's recorded test files; a split from options when any is given; for runs recorded
     * before split.json existed, the split drawn again from the defaults, said so in one line.
     */
    private Chosen choose(Path dir, ModelMeta meta) {
        RecordedSplit recorded = RecordedSplit.read(dir);
        Path recordFile = dir.resolve(RecordedSplit.FILE);
        if (recorded != null && !o.overridesSplit()) {
            Dataset data = matching(Dataset.read(dataset, null), meta);
            if (recorded.test().isEmpty()) {
                throw new KonomiException(recordFile + ": training held back no test part (test 0); give --split all, or --test F "
                        + "to draw a test part again");
            }
            List<Sample> samples = recorded.testSamples(data, recordFile);
            if (recorded.groups() != null && Files.isRegularFile(Path.of(recorded.groups()))
                    && !RecordedSplit.sha256(Path.of(recorded.groups())).equals(recorded.groupsSha256())) {
                listener.message("note: " + recorded.groups() + " changed since training; the recorded test files are used as they were");
            }
            String d = String.format(Locale.ROOT, "the run's recorded test part: %d images (seed %d, val %s, test %s, %s)", samples.size(),
                    recorded.seed(), recorded.val(), recorded.testFraction(), grouping(recorded.spec()));
            listener.message("evaluating " + d);
            return new Chosen(samples, "recorded", recorded.spec(), d);
        }
        SplitSpec spec = recorded != null ? recorded.spec() : SplitSpec.defaults();
        if (o.seed().isPresent()) {
            spec = spec.withSeed(o.seed().getAsLong());
        }
        if (o.val().isPresent()) {
            spec = spec.withVal(o.val().getAsDouble());
        }
        if (o.test().isPresent()) {
            spec = spec.withTest(o.test().getAsDouble());
        }
        if (o.groups().isPresent()) {
            spec = spec.withGroups(o.groups().get());
        }
        boolean all = o.part() == EvalOptions.Part.ALL;
        Dataset data = matching(Dataset.read(dataset, all ? null : spec.groups()), meta);
        List<Sample> samples = all ? data.samples() : Split.of(data.samples(), spec.val(), spec.test(), spec.seed()).test();
        String what = all ? "all " + samples.size() + " images" : String.format(Locale.ROOT, "test part of %d images (seed %d, val %s, test %s, %s)",
                samples.size(), spec.seed(), spec.val(), spec.test(), grouping(spec));
        if (o.overridesSplit()) {
            String d = "split from options, not the run's recorded split: " + what;
            listener.message(d);
            return new Chosen(samples, "options", all ? null : spec, d);
        }
        String d = "no recorded split in " + dir + " (trained before split.json was written): drawn again, the " + what
                + "; the same files as training held back only if training used these values";
        listener.message(d);
        return new Chosen(samples, "drawn-again", spec, d);
    }

    private static String grouping(SplitSpec spec) {
        return spec.groups() == null ? "one group per image" : "grouped by " + spec.groups();
    }

    private Dataset matching(Dataset data, ModelMeta meta) {
        return matching(dataset, data, meta);
    }

    /** The dataset read from {@code dataset}, refused in one line when its task or labels are not the model's. */
    static Dataset matching(Path dataset, Dataset data, ModelMeta meta) {
        if (!data.task().equals(meta.task()) || (meta.classification() && !data.labels().equals(meta.labels()))) {
            throw new KonomiException(dataset + ": does not match the model (" + meta.task() + " "
                    + (meta.classification() ? meta.labels() : "") + " against " + data.task() + " " + data.labels() + ")");
        }
        return data;
    }

    private void write(Path out, ModelMeta meta, Path modelDir, Chosen chosen, ImageCache cache, float[][] probs, double[] pred,
                       double[] truth, double[] loss, int[][] confusion, Map<String, Double> metrics) throws IOException {
        int n = cache.size();
        ObjectNode json = JSON.createObjectNode();
        json.put("model", modelDir.toAbsolutePath().toString());
        json.put("dataset", dataset.toAbsolutePath().toString());
        ObjectNode sp = json.putObject("split");
        sp.put("part", o.part() == EvalOptions.Part.ALL ? "all" : "test");
        sp.put("source", chosen.source());
        if (chosen.spec() != null) {
            sp.put("seed", chosen.spec().seed());
            sp.put("val", chosen.spec().val());
            sp.put("test", chosen.spec().test());
            sp.put("groups", chosen.spec().groups() == null ? null : chosen.spec().groups().toString());
        }
        sp.put("images", n);
        json.set("metrics", JSON.valueToTree(metrics));
        json.set("files", JSON.valueToTree(cache.samples.stream().map(Sample::id).toList()));
        json.set("skipped", JSON.valueToTree(cache.skipped));
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Konomi evaluation</title>"
                + "<style>body{font:14px system-ui,sans-serif;margin:24px}table{border-collapse:collapse}td,th{padding:3px 6px;"
                + "border:1px solid #ddd;text-align:right}.hm td{width:26px;height:22px;font-size:11px}.tl{display:flex;flex-wrap:wrap;gap:10px}"
                + ".tl div{font-size:12px;width:130px}</style></head><body>");
        Path named = modelDir.toAbsolutePath().normalize();
        String title = named.getFileName().toString().equals("model") && named.getParent() != null
                ? named.getParent().getFileName() + "/model" : named.getFileName().toString();
        html.append("<h1>Evaluation of ").append(esc(title)).append("</h1><p>")
                .append(n).append(" images of ").append(esc(dataset.toString())).append(": ")
                .append(esc(chosen.description())).append("</p><h2>Metrics</h2><table>");
        metrics.forEach((k, v) -> html.append("<tr><th>").append(k).append("</th><td>").append(fmt(v)).append("</td></tr>"));
        html.append("</table>");
        Path curve = modelDir.resolve("train.csv");
        if (Files.isRegularFile(curve)) {
            html.append("<h2>Learning curves</h2>").append(png(curveChart(curve), 720, 320));
        }
        if (confusion != null) {
            List<String> labels = meta.labels();
            ArrayNode perClass = json.putArray("per_class");
            html.append("<h2>Per class</h2><table><tr><th>class</th><th>images</th><th>precision</th><th>recall</th></tr>");
            for (int c = 0; c < labels.size(); c++) {
                int tp = confusion[c][c], row = 0, col = 0;
                for (int j = 0; j < labels.size(); j++) {
                    row += confusion[c][j];
                    col += confusion[j][c];
                }
                double precision = col == 0 ? 0 : (double) tp / col, recall = row == 0 ? 0 : (double) tp / row;
                ObjectNode pc = perClass.addObject();
                pc.put("class", labels.get(c));
                pc.put("images", row);
                pc.put("precision", precision);
                pc.put("recall", recall);
                html.append("<tr><th>").append(esc(labels.get(c))).append("</th><td>").append(row).append("</td><td>")
                        .append(fmt(precision)).append("</td><td>").append(fmt(recall)).append("</td></tr>");
            }
            html.append("</table><h2>Confusion matrix</h2><p>rows: true class, columns: predicted</p><table class=\"hm\"><tr><th></th>");
            json.set("confusion", JSON.valueToTree(confusion));
            json.set("labels", JSON.valueToTree(labels));
            labels.forEach(l -> html.append("<th>").append(esc(l.length() > 4 ? l.substring(0, 4) : l)).append("</th>"));
            html.append("</tr>");
            for (int c = 0; c < labels.size(); c++) {
                int row = java.util.Arrays.stream(confusion[c]).sum();
                html.append("<tr><th>").append(esc(labels.get(c))).append("</th>");
                for (int j = 0; j < labels.size(); j++) {
                    double share = row == 0 ? 0 : (double) confusion[c][j] / row;
                    int shade = (int) Math.round(255 - 200 * share);
                    html.append(String.format(Locale.ROOT, "<td style=\"background:rgb(%d,%d,255)\">%s</td>", shade, shade,
                            confusion[c][j] == 0 ? "" : String.valueOf(confusion[c][j])));
                }
                html.append("</tr>");
            }
            html.append("</table>");
        } else {
            html.append("<h2>Predicted against true</h2>").append(png(scatterChart(pred, truth), 520, 420));
        }
        Path calibration = modelDir.resolve(Calibration.FILE);
        if (Files.isRegularFile(calibration)) { // the reliability below is then the calibrated network's
            double t = JSON.readTree(calibration.toFile()).path("temperature").asDouble();
            json.put("temperature", t);
            html.append(String.format(Locale.ROOT, "<p>Calibrated by train:calibrate: logits divided by a temperature of %.3f, fitted on the "
                    + "validation part (calibration.json).</p>", t));
        }
        reliability(json, html, meta, probs, pred, truth, confusion != null);
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> loss[i]).reversed());
        ArrayNode worst = json.putArray("top_losses");
        html.append("<h2>Top losses</h2><div class=\"tl\">");
        for (int k = 0; k < Math.min(o.top(), n); k++) {
            int i = idx[k];
            Sample s = cache.samples.get(i);
            String said = confusion != null ? meta.labels().get(Metrics.argmax(probs[i])) + String.format(Locale.ROOT, " %.0f%%",
                    100 * probs[i][Metrics.argmax(probs[i])]) : fmt(pred[i]);
            String was = confusion != null ? meta.labels().get(s.label()) : fmt(truth[i]);
            ObjectNode w = worst.addObject();
            w.put("file", s.id());
            w.put("truth", was);
            w.put("predicted", said);
            w.put("loss", loss[i]);
            byte[] jpeg = Images.jpeg(new Image(s.id(), cache.side, cache.side, 3, cache.pixels.get(i)), 85);
            html.append("<div><img width=\"128\" height=\"128\" src=\"data:image/jpeg;base64,").append(Base64.getEncoder().encodeToString(jpeg))
                    .append("\" alt=\"").append(esc(s.id())).append("\"><br>true ").append(esc(was)).append("<br>said ").append(esc(said))
                    .append("<br>loss ").append(fmt(loss[i])).append("</div>");
        }
        html.append("</div></body></html>\n");
        AtomicFile.writeString(out.resolve("eval.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        AtomicFile.writeString(out.resolve("eval.html"), html.toString());
    }

    /**
     * The reliability diagram: a classifier's top probability against how often that class was right, a regressor's
     * prediction against the mean true value, in bins; the diagonal is a calibrated model.
     */
    private void reliability(ObjectNode json, StringBuilder html, ModelMeta meta, float[][] probs, double[] pred, double[] truth,
                             boolean classification) throws IOException {
        int n = classification ? probs.length : pred.length;
        double[] p = new double[n], a = new double[n];
        for (int i = 0; i < n; i++) {
            if (classification) {
                int best = Metrics.argmax(probs[i]);
                p[i] = probs[i][best];
                a[i] = Math.abs(truth[i] - best) < 0.5 ? 1 : 0;
            } else {
                p[i] = pred[i];
                a[i] = truth[i];
            }
        }
        double lo = classification ? 0 : meta.range() == null ? java.util.Arrays.stream(truth).min().orElse(0) : meta.range()[0];
        double hi = classification ? 1 : meta.range() == null ? java.util.Arrays.stream(truth).max().orElse(1) : meta.range()[1];
        List<Metrics.Bin> bins = Metrics.reliability(p, a, lo, hi, 10);
        double error = Metrics.calibrationError(bins);
        ObjectNode r = json.putObject("reliability");
        r.put("calibration_error", error);
        r.set("bins", JSON.valueToTree(bins));
        XYSeries model = new XYSeries("model"), ideal = new XYSeries("calibrated");
        bins.forEach(b -> model.add(b.predicted(), b.actual()));
        ideal.add(lo, lo);
        ideal.add(hi, hi);
        XYSeriesCollection c = new XYSeriesCollection();
        c.addSeries(model);
        c.addSeries(ideal);
        String x = classification ? "top-class probability" : "predicted", y = classification ? "share right" : "mean true value";
        JFreeChart chart = ChartFactory.createXYLineChart(null, x, y, c, PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesShapesVisible(1, false);
        chart.getXYPlot().setRenderer(renderer);
        html.append("<h2>Reliability</h2><p>").append(esc(x)).append(" in ten bins against the ").append(esc(y))
                .append("; calibration error (mean |difference|, weighted by pictures) ").append(fmt(error)).append("</p>")
                .append(png(chart, 480, 400)).append("<table><tr><th>bin</th><th>images</th><th>").append(esc(x)).append("</th><th>")
                .append(esc(y)).append("</th></tr>");
        bins.forEach(b -> html.append(String.format(Locale.ROOT, "<tr><td>%.2f-%.2f</td><td>%d</td><td>%.3f</td><td>%.3f</td></tr>",
                b.from(), b.to(), b.n(), b.predicted(), b.actual())));
        html.append("</table>");
    }

    private static JFreeChart curveChart(Path trainCsv) throws IOException {
        List<String> lines = Files.readAllLines(trainCsv, StandardCharsets.UTF_8);
        String[] head = lines.get(0).split(",");
        XYSeries train = new XYSeries("train loss"), val = new XYSeries("validation loss"), metric = new XYSeries(head[3]);
        for (String l : lines.subList(1, lines.size())) {
            String[] v = l.split(",");
            double e = Double.parseDouble(v[0]);
            train.add(e, Double.parseDouble(v[1]));
            val.add(e, Double.parseDouble(v[2]));
            metric.add(e, Double.parseDouble(v[3]));
        }
        XYSeriesCollection c = new XYSeriesCollection();
        c.addSeries(train);
        c.addSeries(val);
        c.addSeries(metric);
        JFreeChart chart = ChartFactory.createXYLineChart(null, "epoch", "loss / " + head[3], c, PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static JFreeChart scatterChart(double[] pred, double[] truth) {
        XYSeries points = new XYSeries("images"), calib = new XYSeries("mean predicted per true value");
        Map<Double, double[]> byTruth = new java.util.TreeMap<>();
        java.util.SplittableRandom jitter = new java.util.SplittableRandom(1);
        for (int i = 0; i < pred.length; i++) {
            points.add(truth[i] + (jitter.nextDouble() - 0.5) * 0.2, pred[i]); // jitter: ratings are whole numbers
            double[] acc = byTruth.computeIfAbsent(truth[i], k -> new double[2]);
            acc[0] += pred[i];
            acc[1]++;
        }
        byTruth.forEach((t, acc) -> calib.add((double) t, acc[0] / acc[1]));
        XYSeriesCollection c = new XYSeriesCollection();
        c.addSeries(points);
        c.addSeries(calib);
        JFreeChart chart = ChartFactory.createScatterPlot(null, "true", "predicted", c, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesShapesVisible(1, true);
        r.setSeriesStroke(1, new BasicStroke(2f));
        plot.setRenderer(r);
        return chart;
    }

    private static String png(JFreeChart chart, int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(out, chart, w, h);
        return "<img width=\"" + w + "\" height=\"" + h + "\" alt=\"chart\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(out.toByteArray()) + "\">";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String esc(String s) {
        return Text.html(s);
    }
}
