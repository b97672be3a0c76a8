package konomi.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import konomi.api.KonomiException;
import konomi.api.train.Augment;
import konomi.api.train.EpochReport;
import konomi.api.train.PretrainOptions;
import konomi.api.train.PretrainResult;
import konomi.api.train.Pretrainer;
import konomi.api.train.Schedule;
import konomi.api.train.SplitSpec;
import konomi.api.train.TrainListener;
import konomi.api.train.TrainOptions;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;
import konomi.nn.Tensors;

/**
 * Self-supervised pretraining, SimCLR-style (Chen et al. 2020): every step takes a batch of pictures twice, each time
 * with another random crop, zoom, flip and colour jitter, and trains the network with {@link konomi.nn.NtXentLoss} to
 * find each view's partner among all other views. The colour jitter stays mild (Konomi's ±20%): hair and eye colours
 * are what tells characters apart, which SimCLR's strong colour distortion would teach the network to ignore.
 * Every epoch writes the base network ({@code model.zip}, projection removed) and a checkpoint; a killed run resumes.
 */
@Component
public class ContrastivePretraining implements Pretrainer {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Pictures of the fixed probe set whose pair accuracy is reported after every epoch. */
    static final int PROBE = 256;
    static final Augment VIEWS = new Augment(true, true, true, true);

    @Override
    public PretrainResult pretrain(List<Path> sources, Path output, PretrainOptions o, TrainListener listener) {
        if (sources.isEmpty()) {
            throw new KonomiException("train:ssl needs at least one folder of pictures");
        }
        Set<Path> held = heldBack(o.exclude());
        List<Sample> samples = new ArrayList<>();
        int excluded = 0;
        for (Path source : sources) {
            for (Sample s : pictures(source)) {
                if (held.contains(s.file())) {
                    excluded++;
                } else {
                    samples.add(s);
                }
            }
        }
        if (samples.size() < 2) {
            throw new KonomiException(sources + ": fewer than two pictures to pretrain on (" + excluded + " held back by --exclude)");
        }
        Path out = output.toAbsolutePath();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new KonomiException(out + ": cannot create output folder: " + e.getMessage(), e);
        }
        int side = Tensors.cropFrom(o.size());
        listener.message(String.format(Locale.ROOT, "%d faces from %d folders (%d held back by --exclude); loading at %d px",
                samples.size(), sources.size(), excluded, side));
        long t0 = System.nanoTime();
        ImageCache cache = new ImageCache(samples, side, o.workers());
        cache.skipped.forEach(s -> listener.message("skipped " + s));
        listener.message(String.format(Locale.ROOT, "loaded in %.1f s", (System.nanoTime() - t0) / 1e9));

        TrainOptions t = TrainOptions.builder().epochs(o.epochs()).batch(o.batch()).size(o.size()).learningRate(o.learningRate())
                .schedule(Schedule.COSINE).weightDecay(o.weightDecay()).augment(VIEWS).split(SplitSpec.defaults().withSeed(o.seed())).build();
        Path checkpoint = out.resolve("checkpoint.zip"), stateFile = out.resolve("pretrain.json"), base = out.resolve("model.zip");
        JsonNode state = o.resume() && Files.isRegularFile(checkpoint) && Files.isRegularFile(stateFile) ? read(stateFile) : null;
        int done = state == null ? 0 : state.path("epochs").asInt();
        Model net;
        if (state != null) {
            net = Loop.restoreModel(checkpoint, true);
            Nets.learningRate(net, Schedules.perEpoch(t));
            listener.message("resuming after epoch " + done);
        } else {
            // the labels only shape the classifier head, which the projection replaces
            ModelMeta meta = new ModelMeta("classification", List.of("a", "b"), o.size(), ModelMeta.RGB01, null);
            net = Nets.contrastive(Nets.network(meta, o.seed(), Schedules.perEpoch(t), o.weightDecay(), CNN2DFormat.NCHW, o.net()),
                    o.seed(), Schedules.perEpoch(t), o.weightDecay());
        }
        Nets.forTraining(net);
        Batches views = new Batches(cache, o.size(), 0, net);
        List<double[]> history = new ArrayList<>();
        if (state != null) {
            state.path("history").forEach(r -> history.add(new double[] {r.get(0).asDouble(), r.get(1).asDouble(), r.get(2).asDouble()}));
        }
        double loss = history.isEmpty() ? Double.NaN : history.get(history.size() - 1)[1];
        double pairs = history.isEmpty() ? Double.NaN : history.get(history.size() - 1)[2];
        double epochSeconds = 0;
        for (int epoch = done + 1; epoch <= o.epochs(); epoch++) {
            long e0 = System.nanoTime();
            loss = Loop.fitEpoch(net, cache.size(), (order, from, to, augment, rnd) -> twoViews(views, order, from, to, augment, rnd), epoch, t, null);
            double trainSeconds = (System.nanoTime() - e0) / 1e9;
            pairs = pairAccuracy(net, views, o.seed());
            history.add(new double[] {epoch, loss, pairs});
            Loop.write(base, s -> org.deeplearning4j.util.ModelSerializer.writeModel(Nets.withoutProjection(Nets.copy(net)), s, false));
            Loop.writeModel(checkpoint, net, true);
            writeState(stateFile, o, sources, cache.size(), excluded, history);
            double seconds = (System.nanoTime() - e0) / 1e9;
            epochSeconds = epochSeconds == 0 ? seconds : 0.7 * epochSeconds + 0.3 * seconds;
            listener.message(String.format(Locale.ROOT, "epoch %d pair accuracy %.4f (%d probe pictures, %d candidates each)", epoch, pairs,
                    Math.min(PROBE, cache.size()), 2 * Math.min(PROBE, cache.size()) - 1));
            listener.epoch(new EpochReport(epoch, o.epochs(), loss, Double.NaN, "pair_accuracy", pairs, Schedules.learningRate(t, epoch - 1),
                    cache.size() / trainSeconds, seconds, epochSeconds * (o.epochs() - epoch), false));
        }
        return new PretrainResult(base, cache.size(), excluded, Math.max(done, o.epochs()), loss, pairs, cache.skipped);
    }

    /** Two views of each picture of the batch: rows i and i+n (what {@link konomi.nn.NtXentLoss} pairs). */
    private static DataSet twoViews(Batches views, int[] order, int from, int to, Augment augment, SplittableRandom rnd) {
        INDArray a = views.batch(order, from, to, augment, rnd).getFeatures(), b = views.batch(order, from, to, augment, rnd).getFeatures();
        INDArray x = Nd4j.concat(0, a, b);
        return new DataSet(x, Nd4j.zeros(x.dataType(), x.size(0), Nets.EMBEDDING));
    }

    /**
     * The share of a fixed probe set's views whose most similar other view (cosine of the embeddings) is the other
     * view of the same picture: what the loss trains for, on the same pictures and views every epoch.
     */
    static double pairAccuracy(Model net, Batches views, long seed) {
        int n = Math.min(PROBE, views.samples().size());
        int[] order = Batches.shuffled(views.samples().size(), new SplittableRandom(seed));
        INDArray z = Nets.output(net, twoViews(views, order, 0, n, VIEWS, new SplittableRandom(seed + 1)).getFeatures());
        z.diviColumnVector(z.norm2(1).reshape(2 * n, 1).addi(1e-8));
        INDArray sim = z.mmul(z.transpose()).subi(Nd4j.eye(2 * n).castTo(z.dataType()).muli(10));
        long[] nearest = sim.argMax(1).toLongVector();
        int right = 0;
        for (int i = 0; i < 2 * n; i++) {
            right += nearest[i] == (i < n ? i + n : i - n) ? 1 : 0;
        }
        return right / (2.0 * n);
    }

    /** The validation and test pictures of the named train:run folders or split.json files, as absolute paths. */
    static Set<Path> heldBack(List<Path> exclude) {
        Set<Path> held = new HashSet<>();
        for (Path e : exclude) {
            Path file = Files.isDirectory(e) ? e.resolve(RecordedSplit.FILE) : e;
            if (!Files.isRegularFile(file)) {
                throw new KonomiException(file + ": no such " + (file == e ? "file" : "recorded split")
                        + " (--exclude takes train:run folders or their split.json)");
            }
            JsonNode split = read(file);
            if (!split.has("dataset") || !split.has("test_files")) {
                throw new KonomiException(file + ": not a recorded split (no dataset or test_files)");
            }
            Path dataset = Path.of(split.get("dataset").asText());
            for (String part : List.of("validation_files", "test_files")) {
                split.path(part).forEach(f -> held.add(dataset.resolve(f.get("file").asText()).toAbsolutePath().normalize()));
            }
        }
        return held;
    }

    /**
     * Every face of a folder, in a stable order: each labelled face of a box dataset ({@code boxes.csv}: every box
     * cropped as score:run crops detected faces), else every picture under it (face crops).
     */
    static List<Sample> pictures(Path source) {
        if (!Files.isDirectory(source)) {
            throw new KonomiException(source + ": no such folder");
        }
        Path root = source.toAbsolutePath().normalize();
        String name = root.getFileName() + "/";
        if (Files.isRegularFile(root.resolve("boxes.csv"))) {
            List<Sample> faces = new ArrayList<>();
            new java.util.TreeMap<>(konomi.imaging.boxes.BoxLabels.read(root)).forEach((file, boxes) -> {
                for (int i = 0; i < boxes.size(); i++) {
                    String id = name + file + "#" + (i + 1);
                    faces.add(new Sample(root.resolve(file).normalize(), id, 0, 0, id, boxes.get(i)));
                }
            });
            return faces;
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                int dot = n.lastIndexOf('.');
                return dot > 0 && Dataset.EXTENSIONS.contains(n.substring(dot + 1));
            }).sorted().map(p -> {
                String id = name + root.relativize(p);
                return new Sample(p, id, 0, 0, id);
            }).toList();
        } catch (IOException e) {
            throw new KonomiException(source + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new KonomiException(file + ": unreadable (" + e.getMessage() + "); use --fresh to start over", e);
        }
    }

    private static void writeState(Path file, PretrainOptions o, List<Path> sources, int pictures, int excluded, List<double[]> history) {
        ObjectNode m = JSON.createObjectNode();
        m.put("method", "SimCLR (NT-Xent, temperature " + konomi.nn.NtXentLoss.TEMPERATURE + ")");
        m.put("epochs", (int) history.get(history.size() - 1)[0]);
        m.put("net", o.net());
        m.put("size", o.size());
        m.put("batch", o.batch());
        m.put("lr", o.learningRate());
        m.put("weight-decay", o.weightDecay());
        m.put("seed", o.seed());
        m.set("sources", JSON.valueToTree(sources.stream().map(p -> p.toAbsolutePath().toString()).toList()));
        m.set("exclude", JSON.valueToTree(o.exclude().stream().map(p -> p.toAbsolutePath().toString()).toList()));
        m.put("pictures", pictures);
        m.put("excluded", excluded);
        m.set("history", JSON.valueToTree(history));
        Loop.write(file, s -> JSON.writerWithDefaultPrettyPrinter().writeValue(s, m));
    }
}
