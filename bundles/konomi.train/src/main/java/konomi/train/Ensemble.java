package konomi.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import konomi.api.KonomiException;
import konomi.api.train.EnsembleResult;
import konomi.api.train.TrainListener;
import konomi.nn.Ensembles;
import konomi.nn.ModelMeta;
import konomi.nn.Tensors;
import konomi.util.AtomicFile;

/**
 * train:ensemble: classifier runs packed into one network that outputs the mean of their probabilities
 * ({@link Ensembles#mean}) or, {@code geometric}, of their logits before one softmax ({@link Ensembles#withMean}),
 * measured with each member on the validation and test parts all of them held back (the same recorded split, so the
 * comparison is fair and the test part stays unseen). Written into {@code out}: the network ({@code model.zip}, at
 * half precision when asked), the first member's {@code model.json} and {@code split.json} (so eval:run and
 * model:package take the folder as a run), and {@code ensemble.json}. An ensemble
 * folder is packed again in place, each file replaced atomically; a folder with any other model.zip is refused. One
 * ensemble folder given alone is packed again from the weights it holds, with the mean asked for (its members' runs
 * need not be at hand; their recorded figures carry over).
 */
record Ensemble(List<Path> runs, Path dataset, Path out, boolean half, boolean geometric, TrainListener listener) {
    static final String FILE = "ensemble.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 64;

    EnsembleResult run() {
        boolean again = runs.size() == 1 && Files.isRegularFile(runs.get(0).resolve(FILE));
        if (runs.size() < 2 && !again) {
            throw new KonomiException("an ensemble needs two runs or more, or one ensemble's folder to pack again, got "
                    + (runs.isEmpty() ? "none" : runs.get(0) + " alone"));
        }
        if (Files.exists(out.resolve("model.zip")) && !Files.exists(out.resolve(FILE))) {
            // an ensemble is packed again in place (train.gosh does); any other network there is the user's to keep
            throw new KonomiException(out + ": holds a model.zip that is not an ensemble (no " + FILE + "); give another --out");
        }
        ModelMeta meta = null;
        RecordedSplit split = null;
        for (Path run : runs) {
            Path zip = run.resolve("model.zip"), metaFile = run.resolve("model.json");
            if (!Files.isRegularFile(zip) || !Files.isRegularFile(metaFile)) {
                throw new KonomiException(run + ": not a train:run output folder (no model.zip and model.json)");
            }
            ModelMeta m = ModelMeta.read(metaFile);
            if (!m.classification()) {
                throw new KonomiException(metaFile + ": a " + m.task() + " model; an ensemble averages classifiers' probabilities");
            }
            if (meta != null && (!m.labels().equals(meta.labels()) || m.size() != meta.size() || !java.util.Objects.equals(m.norm(), meta.norm())
                    || m.flipTest() != meta.flipTest())) {
                throw new KonomiException(metaFile + ": labels, input size, normalisation or flip test differ from " + runs.get(0).resolve("model.json"));
            }
            if (trainedOnValidation(run)) {
                throw new KonomiException(run + ": trained with --final, so the validation part cannot measure the ensemble; pack runs trained without it");
            }
            RecordedSplit s = RecordedSplit.read(run);
            if (s == null || s.validation().isEmpty()) {
                throw new KonomiException(run.resolve(RecordedSplit.FILE) + ": " + (s == null ? "missing" : "no validation files")
                        + ", so nothing held back measures the ensemble");
            }
            if (split != null && (!s.validation().equals(split.validation()) || !s.test().equals(split.test()))) {
                throw new KonomiException(run.resolve(RecordedSplit.FILE) + ": a different validation or test part from "
                        + runs.get(0).resolve(RecordedSplit.FILE) + "; the members must share one split");
            }
            meta = m;
            split = split == null ? s : split;
        }
        Path splitFile = runs.get(0).resolve(RecordedSplit.FILE);
        Dataset data = Evaluation.matching(dataset, Dataset.read(dataset, null), meta);
        List<Sample> val = split.validationSamples(data, splitFile), test = split.test().isEmpty() ? List.of() : split.testSamples(data, splitFile);
        int side = Tensors.cropFrom(meta.size()), classes = meta.labels().size();
        ImageCache v = new ImageCache(val, side, 2), t = test.isEmpty() ? null : new ImageCache(test, side, 2);
        for (ImageCache c : t == null ? List.of(v) : List.of(v, t)) {
            c.skipped.forEach(s -> listener.message("skipped " + s));
        }

        List<String> names = new ArrayList<>();
        List<Map<String, Double>> memberFigures = new ArrayList<>();
        ArrayNode records = JSON.createArrayNode();
        Model packed;
        try {
            if (again) {
                JsonNode before = readJson(runs.get(0).resolve(FILE));
                for (JsonNode m : before.path("members")) {
                    names.add(m.path("run").asText());
                    Map<String, Double> f = new LinkedHashMap<>();
                    m.path("figures").fields().forEachRemaining(e -> f.put(e.getKey(), e.getValue().asDouble()));
                    memberFigures.add(f);
                    records.add(m.deepCopy());
                }
                Model net = Loop.restoreModel(runs.get(0).resolve("model.zip"), false);
                if (!(net instanceof org.deeplearning4j.nn.graph.ComputationGraph g) || Ensembles.members(g) == 0) {
                    throw new KonomiException(runs.get(0).resolve("model.zip") + ": not a packed ensemble, though " + FILE + " says so");
                }
                packed = Ensembles.withMean(g, geometric);
            } else {
                List<Model> members = new ArrayList<>();
                for (Path run : runs) {
                    Model net = Loop.restoreModel(run.resolve("model.zip"), false);
                    members.add(net);
                    Map<String, Double> f = new LinkedHashMap<>();
                    figures(net, v, meta).forEach((k, x) -> f.put("validation_" + k, x));
                    if (t != null) {
                        figures(net, t, meta).forEach((k, x) -> f.put("test_" + k, x));
                    }
                    names.add(run.toString());
                    memberFigures.add(f);
                    records.add(record(run, f));
                    listener.message(String.format(Locale.ROOT, "%s: validation accuracy %.4f, loss %.4f", run, f.get("validation_accuracy"), f.get("validation_loss")));
                }
                org.deeplearning4j.nn.graph.ComputationGraph mean = Ensembles.mean(members, meta.size());
                packed = geometric ? Ensembles.withMean(mean, true) : mean;
            }
        } catch (IllegalArgumentException e) {
            throw new KonomiException(runs + ": " + e.getMessage());
        }
        byte[] bytes = serialised(half ? Ensembles.halfPrecision(packed) : packed);
        // measured as stored: the network read back from the bytes written, so half precision's rounding is in the figures
        Model stored;
        try {
            Path tmp = Files.createTempFile("konomi-ensemble", ".zip");
            try {
                Files.write(tmp, bytes);
                stored = Loop.restoreModel(tmp, false);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new KonomiException(out + ": cannot write a temporary file: " + e.getMessage(), e);
        }
        Map<String, Double> valFigures = figures(stored, v, meta), testFigures = t == null ? Map.of() : figures(stored, t, meta);
        write(bytes, valFigures, testFigures, records, again);
        return new EnsembleResult(valFigures, testFigures, names, memberFigures, out.resolve("model.zip").toAbsolutePath(), bytes.length,
                out.resolve(FILE).toAbsolutePath());
    }

    private static Map<String, Double> figures(Model net, ImageCache part, ModelMeta meta) {
        int[] labels = part.samples.stream().mapToInt(Sample::label).toArray();
        Batches batches = new Batches(part, meta.size(), meta.labels().size(), net);
        Map<String, Double> m = new LinkedHashMap<>(Calibration.measured(Calibration.scaled(Loop.views(net, batches, BATCH, meta.flipTest()), 1),
                labels, meta.labels().size()));
        m.put("n", (double) labels.length);
        return m;
    }

    private static byte[] serialised(Model net) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net, b, false);
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory
        }
    }

    private static boolean trainedOnValidation(Path run) {
        Path metrics = run.resolve("metrics.json");
        return Files.isRegularFile(metrics) && readJson(metrics).path("validation_trained_on").asBoolean(false);
    }

    /** A member's record in ensemble.json: its run, network, figures, and how it was trained and calibrated. */
    private static ObjectNode record(Path run, Map<String, Double> figures) {
        ObjectNode m = JSON.createObjectNode();
        m.put("run", run.toString());
        m.put("model_sha256", RecordedSplit.sha256(run.resolve("model.zip")));
        m.set("figures", JSON.valueToTree(figures));
        // kept with the ensemble: its run folder may not ship
        if (Files.isRegularFile(run.resolve("metrics.json"))) {
            m.set("options", readJson(run.resolve("metrics.json")).path("options"));
        }
        if (Files.isRegularFile(run.resolve(Calibration.FILE))) {
            m.set("temperature", readJson(run.resolve(Calibration.FILE)).path("temperature"));
        }
        return m;
    }

    private void write(byte[] bytes, Map<String, Double> val, Map<String, Double> test, ArrayNode members, boolean again) {
        try {
            Files.createDirectories(out);
            ObjectNode r = JSON.createObjectNode();
            r.put("method", (geometric ? "the mean of the members' logits, then a softmax (the normalised geometric mean of their probabilities)"
                    : "the mean of the members' probabilities") + "; each member's flip test as it was validated; one network");
            r.put("mean", geometric ? "geometric" : "arithmetic");
            r.put("precision", half ? "half (16-bit weights, computed in 32 bits)" : "single");
            r.put("bytes", bytes.length);
            r.put("dataset", dataset.toString());
            if (again) {
                r.put("packed_again_from", runs.get(0).resolve("model.zip").toString());
                r.put("packed_again_from_sha256", RecordedSplit.sha256(runs.get(0).resolve("model.zip")));
            }
            r.set("validation", JSON.valueToTree(val));
            r.set("test", JSON.valueToTree(test));
            r.set("members", members);
            AtomicFile.write(out.resolve("model.json"), Files.readAllBytes(runs.get(0).resolve("model.json")));
            AtomicFile.write(out.resolve(RecordedSplit.FILE), Files.readAllBytes(runs.get(0).resolve(RecordedSplit.FILE)));
            AtomicFile.writeString(out.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r));
            AtomicFile.write(out.resolve("model.zip"), bytes); // last: a folder with a model.zip is a finished one
        } catch (IOException e) {
            throw new KonomiException(out + ": cannot write the ensemble: " + e.getMessage(), e);
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
