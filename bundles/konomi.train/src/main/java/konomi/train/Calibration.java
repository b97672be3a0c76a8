package konomi.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import konomi.api.KonomiException;
import konomi.api.train.CalibrationResult;
import konomi.api.train.TrainListener;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;
import konomi.nn.Tensors;
import konomi.util.AtomicFile;

/**
 * train:calibrate: temperature scaling (Guo et al. 2017, "On calibration of modern neural networks"). The one
 * temperature T that minimises the validation part's log loss, each flip-test view's probabilities taken to
 * {@code softmax(log p / T)} before they are averaged as scoring averages them, is folded into the output layer
 * ({@link Nets#divideLogits}). Files, in an order that a kill at any point leaves recoverable: the network as trained
 * copied to {@link #ORIGINAL}; {@link #FILE} written naming the SHA-256 of the calibrated network; then that network
 * to {@code model.zip}. Calibrating again starts from {@link #ORIGINAL} while {@code model.zip} is the network the
 * record names, and from {@code model.zip} once training wrote another.
 */
record Calibration(Path folder, Path dataset, TrainListener listener) {
    static final String FILE = "calibration.json", ORIGINAL = "model.uncalibrated.zip";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 64;
    /** The temperatures searched: far beyond any network worth calibrating on either side. */
    private static final double LOWEST = 0.05, HIGHEST = 20;

    CalibrationResult run() {
        Path zip = folder.resolve("model.zip"), original = folder.resolve(ORIGINAL), record = folder.resolve(FILE), metaFile = folder.resolve("model.json");
        if (!Files.isRegularFile(zip) || !Files.isRegularFile(metaFile)) {
            throw new KonomiException(folder + ": not a train:run output folder (no model.zip and model.json)");
        }
        if (DetectorRunEvaluation.isDetector(folder)) {
            throw new KonomiException(folder + ": a detector; temperature scaling is for classifiers (a detector's threshold is chosen on validation)");
        }
        ModelMeta meta = ModelMeta.read(metaFile);
        if (!meta.classification()) {
            throw new KonomiException(metaFile + ": a " + meta.task() + " model; temperature scaling is for classifiers");
        }
        if (trainedOnValidation()) {
            throw new KonomiException(folder + ": trained with --final, so its validation pictures were trained on and cannot calibrate it; "
                    + "calibrate the run trained without --final");
        }
        RecordedSplit split = RecordedSplit.read(folder);
        Path splitFile = folder.resolve(RecordedSplit.FILE);
        if (split == null || split.validation().isEmpty()) {
            throw new KonomiException(splitFile + ": " + (split == null ? "missing (a run from before splits were recorded)" : "no validation files")
                    + ", so there is no held-back part to fit a temperature on");
        }
        Dataset data = Evaluation.matching(dataset, Dataset.read(dataset, null), meta);
        List<Sample> val = split.validationSamples(data, splitFile), test = split.test().isEmpty() ? List.of() : split.testSamples(data, splitFile);
        Path source = source(zip, original, record);
        Model net = Loop.restoreModel(source, false);
        int side = Tensors.cropFrom(meta.size()), classes = meta.labels().size();
        Part v = new Part(new ImageCache(val, side, 2), meta, net), t = test.isEmpty() ? null : new Part(new ImageCache(test, side, 2), meta, net);
        for (Part p : t == null ? List.of(v) : List.of(v, t)) {
            p.cache.skipped.forEach(s -> listener.message("skipped " + s));
        }
        listener.message(String.format(Locale.ROOT, "fitting a temperature on the run's recorded validation part: %d images%s", v.labels.length,
                meta.flipTest() ? " (each flip-test view scaled, then averaged)" : ""));
        double temperature = fit(v.before, v.labels);
        if (temperature < LOWEST * 1.05 || temperature > HIGHEST / 1.05) {
            // the loss still falls at the end of the range: the validation part cannot pin a temperature down
            throw new KonomiException(folder + ": its validation part gives no temperature (the log loss keeps falling towards T "
                    + (temperature < 1 ? "0: every picture is right by a margin" : "infinity: the pictures it gets wrong dominate")
                    + "); nothing was changed");
        }
        try {
            Nets.divideLogits(net, temperature);
        } catch (IllegalArgumentException e) {
            throw new KonomiException(source + ": " + e.getMessage() + "; temperature scaling needs one");
        }
        Map<String, Double> valFigures = v.figures(net, classes), testFigures = t == null ? Map.of() : t.figures(net, classes);
        listener.message(String.format(Locale.ROOT, "temperature %.3f (%s): validation loss %.4f -> %.4f, calibration error %.4f -> %.4f",
                temperature, temperature < 1 ? "below 1: it was underconfident" : "above 1: it was overconfident", valFigures.get("loss_before"),
                valFigures.get("loss"), valFigures.get("calibration_error_before"), valFigures.get("calibration_error")));
        write(net, source.equals(zip), temperature, valFigures, testFigures, v.labels.length, t == null ? 0 : t.labels.length);
        return new CalibrationResult(temperature, valFigures, testFigures, zip.toAbsolutePath(), original.toAbsolutePath(),
                record.toAbsolutePath());
    }

    /** A part's pictures and its flip-test views' probabilities from the network as trained. */
    private record Part(ImageCache cache, Batches batches, int[] labels, List<float[][]> before, boolean flip) {
        Part(ImageCache cache, ModelMeta meta, Model net) {
            this(cache, new Batches(cache, meta.size(), meta.labels().size(), net), net, meta.flipTest());
        }

        private Part(ImageCache cache, Batches batches, Model net, boolean flip) {
            this(cache, batches, cache.samples.stream().mapToInt(Sample::label).toArray(), Loop.views(net, batches, BATCH, flip), flip);
        }

        /** Loss, accuracy, top-3 and calibration error as trained ({@code _before}) and calibrated, measured again. */
        Map<String, Double> figures(Model calibrated, int classes) {
            Map<String, Double> was = measured(scaled(before, 1), labels, classes), now = measured(scaled(Loop.views(calibrated, batches, BATCH, flip), 1), labels, classes);
            Map<String, Double> m = new LinkedHashMap<>();
            for (String k : List.of("loss", "accuracy", "top3", "calibration_error")) {
                m.put(k + "_before", was.get(k));
                m.put(k, now.get(k));
            }
            m.put("n", (double) labels.length);
            return m;
        }
    }

    /** Loss, accuracy, top-3 and calibration error (ten bins of the top probability) of a part's probabilities. */
    static Map<String, Double> measured(float[][] probs, int[] labels, int classes) {
        Map<String, Double> m = Metrics.classification(probs, labels, new int[classes][classes]);
        double[] top = new double[probs.length], right = new double[probs.length];
        for (int i = 0; i < probs.length; i++) {
            int best = Metrics.argmax(probs[i]);
            top[i] = probs[i][best];
            right[i] = best == labels[i] ? 1 : 0;
        }
        m.put("calibration_error", Metrics.calibrationError(Metrics.reliability(top, right, 0, 1, 10)));
        return m;
    }

    /**
     * The temperature of the least validation log loss: a grid over log T, then golden-section search between the
     * best point's neighbours (the loss is smooth and, in practice, has one minimum in T).
     */
    static double fit(List<float[][]> views, int[] labels) {
        int steps = 60;
        double lo = Math.log(LOWEST), hi = Math.log(HIGHEST), step = (hi - lo) / steps;
        int best = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= steps; i++) {
            double l = loss(views, labels, Math.exp(lo + i * step));
            if (l < bestLoss) {
                bestLoss = l;
                best = i;
            }
        }
        double a = lo + Math.max(0, best - 1) * step, b = lo + Math.min(steps, best + 1) * step, g = (Math.sqrt(5) - 1) / 2;
        double c = b - g * (b - a), d = a + g * (b - a), fc = loss(views, labels, Math.exp(c)), fd = loss(views, labels, Math.exp(d));
        while (b - a > 1e-5) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = loss(views, labels, Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = loss(views, labels, Math.exp(d));
            }
        }
        return Math.exp((a + b) / 2);
    }

    /** Mean negative log-likelihood of the true labels at temperature {@code t}. */
    static double loss(List<float[][]> views, int[] labels, double t) {
        float[][] p = scaled(views, t);
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum -= Math.log(Math.max(p[i][labels[i]], 1e-7)); // Metrics' floor, so that fitting and reporting agree
        }
        return sum / Math.max(1, labels.length);
    }

    /** The views' mean of {@code softmax(log p / t)}: what a network with its logits divided by t outputs. */
    static float[][] scaled(List<float[][]> views, double t) {
        int n = views.get(0).length, k = views.get(0)[0].length;
        float[][] out = new float[n][k];
        double[] a = new double[k];
        for (float[][] view : views) {
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < k; j++) {
                    a[j] = Math.log(Math.max(view[i][j], 1e-30)) / t;
                    max = Math.max(max, a[j]);
                }
                for (int j = 0; j < k; j++) {
                    a[j] = Math.exp(a[j] - max);
                    sum += a[j];
                }
                for (int j = 0; j < k; j++) {
                    out[i][j] += (float) (a[j] / sum / views.size());
                }
            }
        }
        return out;
    }

    /** Whether the run trained on its validation part ({@code --final}): its metrics say so, or its state while unfinished. */
    private boolean trainedOnValidation() {
        for (String[] f : new String[][] {{"metrics.json", "validation_trained_on"}, {"state.json", "finalFit"}}) {
            Path file = folder.resolve(f[0]);
            if (Files.isRegularFile(file) && readJson(file).path(f[1]).asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    /** The network as trained: the kept original while model.zip is the network the record calibrated, else model.zip. */
    private Path source(Path zip, Path original, Path record) {
        if (!Files.isRegularFile(record)) {
            return zip;
        }
        if (!readJson(record).path("model_sha256").asText().equals(RecordedSplit.sha256(zip))) {
            listener.message(zip + " is not the network " + FILE + " names (trained again since): calibrating it");
            return zip;
        }
        if (!Files.isRegularFile(original)) {
            throw new KonomiException(original + ": missing, so the network as trained is lost (model.zip is already calibrated); "
                    + "train the run again to calibrate it anew");
        }
        listener.message("calibrating again from the network as trained, " + original);
        return original;
    }

    private void write(Model net, boolean keepOriginal, double temperature, Map<String, Double> val, Map<String, Double> test, int valN,
                       int testN) {
        Path zip = folder.resolve("model.zip");
        try {
            if (keepOriginal) {
                try (AtomicFile f = new AtomicFile(folder.resolve(ORIGINAL), true)) {
                    Files.copy(zip, f.stream());
                    f.commit();
                }
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net, bytes, false);
            byte[] calibrated = bytes.toByteArray();
            ObjectNode r = JSON.createObjectNode();
            r.put("method", "temperature scaling: logits divided by the temperature, folded into the output layer");
            r.put("temperature", temperature);
            r.put("fitted_on", "validation");
            r.put("validation_images", valN);
            r.put("test_images", testN);
            r.set("validation", JSON.valueToTree(val));
            r.set("test", JSON.valueToTree(test));
            r.put("original", ORIGINAL);
            r.put("original_sha256", RecordedSplit.sha256(folder.resolve(ORIGINAL)));
            r.put("model_sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(calibrated)));
            AtomicFile.writeString(folder.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r));
            AtomicFile.write(zip, calibrated);
        } catch (IOException e) {
            throw new KonomiException(folder + ": cannot write the calibrated network: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new KonomiException(file + ": unreadable: " + e.getMessage(), e);
        }
    }
}
