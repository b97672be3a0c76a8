package konomi.gen.gan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import com.fasterxml.jackson.databind.ObjectMapper;

import konomi.api.gen.GenEpoch;
import konomi.api.gen.GenTrainOptions;
import konomi.util.AtomicFile;
import konomi.util.Text;

/** {@code train.csv}, {@code metrics.json} and {@code report.html} (loss and quality curves, a sample grid per epoch). */
final class GanReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GanReport() {
    }

    static void write(Path out, GenTrainOptions o, int faces, List<GenEpoch> history, double realFaceness, double realFramed) throws IOException {
        StringBuilder csv = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(csv, CSVFormat.DEFAULT.builder().setHeader("epoch", "d_loss", "g_loss", "fid", "kid",
                "faceness", "framed", "diversity", "copies", "images_per_s", "seconds").build())) {
            for (GenEpoch e : history) {
                p.printRecord(e.epoch(), f(e.discriminatorLoss()), f(e.generatorLoss()), f(e.figure("fid")), f(e.figure("kid")), f(e.figure("faceness")), f(e.figure("framed")),
                        f(e.figure("diversity")), f(e.figure("copies")), f(e.imagesPerSecond()), f(e.seconds()));
            }
        }
        AtomicFile.writeString(out.resolve("train.csv"), csv);

        GenEpoch last = history.get(history.size() - 1);
        GenEpoch best = history.stream().filter(e -> Double.isFinite(e.figure("fid"))).min((a, b) -> Double.compare(a.figure("fid"), b.figure("fid"))).orElse(last);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("faces", faces);
        m.put("options", o);
        m.put("shipped", best);
        m.put("last", last);
        m.put("realFaceness", realFaceness);
        m.put("realFramed", realFramed);
        m.put("featureNetwork", o.features() + " (penultimate layer, global average pooling)");
        AtomicFile.writeString(out.resolve("metrics.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));

        StringBuilder h = new StringBuilder("<!doctype html><meta charset=utf-8><title>GAN training</title>")
                .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}</style>")
                .append("<h1>GAN training: ").append(Text.html(out.getFileName() == null ? out.toString() : out.getFileName().toString())).append("</h1>")
                .append("<p>").append(faces).append(" training faces; ").append(Text.html(o.loss())).append(" loss")
                .append(o.spectralNorm() ? ", spectral norm" : "").append(o.augment() ? ", DiffAugment" : "")
                .append(o.ema() > 0 ? ", EMA " + o.ema() : "").append("; width ").append(o.width()).append(", latent ").append(o.latent())
                .append(", batch ").append(o.batch()).append(", lr ").append(o.learningRate()).append(", seed ").append(o.seed()).append(".</p>")
                .append("<p>Quality on ").append(o.evalSamples()).append(" samples against the training faces; features: ")
                .append(Text.html(o.features())).append("'s penultimate layer. Faceness of real training faces: ").append(f(realFaceness))
                .append(". Shipped (model.zip): epoch ").append(best.epoch()).append(".</p>");
        h.append(img(chart("losses", history, Map.of("discriminator", GenEpoch::discriminatorLoss, "generator", GenEpoch::generatorLoss))));
        h.append(img(chart("FID", history, Map.of("FID", e -> e.figure("fid")))));
        h.append(img(chart("faceness, diversity, copies", history, Map.of("faceness", e -> e.figure("faceness"), "framed", e -> e.figure("framed"), "diversity", e -> e.figure("diversity"),
                "copies", e -> e.figure("copies")))));
        h.append("<table><tr><th>epoch<th>D loss<th>G loss<th>FID<th>KID<th>faceness<th>framed<th>diversity<th>copies<th>img/s");
        for (GenEpoch e : history) {
            h.append("<tr><td>").append(e.epoch()).append("<td>").append(f(e.discriminatorLoss())).append("<td>").append(f(e.generatorLoss()))
                    .append("<td>").append(f(e.figure("fid"))).append("<td>").append(f(e.figure("kid"))).append("<td>").append(f(e.figure("faceness"))).append("<td>").append(f(e.figure("framed")))
                    .append("<td>").append(f(e.figure("diversity"))).append("<td>").append(f(e.figure("copies"))).append("<td>").append(f(e.imagesPerSecond()));
        }
        h.append("</table><h2>Samples (the same latents every epoch)</h2>");
        for (int i = history.size() - 1; i >= 0; i--) {
            String name = String.format("samples/epoch-%03d.png", history.get(i).epoch());
            h.append("<figure style='display:inline-block'><img src='").append(name).append("'><figcaption>epoch ")
                    .append(history.get(i).epoch()).append("</figcaption></figure>");
        }
        AtomicFile.writeString(out.resolve("report.html"), h);
    }

    private static String f(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "";
    }

    private static JFreeChart chart(String title, List<GenEpoch> history, Map<String, ToDoubleFunction<GenEpoch>> series) {
        XYSeriesCollection c = new XYSeriesCollection();
        new java.util.TreeMap<>(series).forEach((name, fn) -> {
            XYSeries s = new XYSeries(name);
            history.stream().filter(e -> Double.isFinite(fn.applyAsDouble(e))).forEach(e -> s.add(e.epoch(), fn.applyAsDouble(e)));
            c.addSeries(s);
        });
        return ChartFactory.createXYLineChart(title, "epoch", title, c, PlotOrientation.VERTICAL, true, false, false);
    }

    private static String img(JFreeChart chart) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(b, chart, 640, 320);
        return "<img alt='chart' src='data:image/png;base64," + Base64.getEncoder().encodeToString(b.toByteArray()) + "'>";
    }
}
