package konomi.train;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import konomi.api.KonomiException;
import konomi.api.train.EpochReport;
import konomi.api.train.TrainListener;
import konomi.api.train.TrainRequest;
import konomi.api.train.TrainResult;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;
import konomi.nn.Tensors;

/**
 * One training run in an output folder. Every epoch: shuffled, augmented batches (prepared by a second
 * thread while the network trains), then validation; the best epoch's weights go to {@code model.zip},
 * the last epoch (with the Adam state) to {@code checkpoint.zip} plus {@code state.json}, and the curve to
 * {@code train.csv}, each written atomically. A killed run resumes after its last finished epoch with the
 * same shuffles (they depend on seed and epoch only). Stops early when the watched validation metric has
 * not improved for {@code patience} epochs.
 */
final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainRequest request;
    private final TrainListener listener;
    private final Options o;
    private final Path out;

    TrainingRun(TrainRequest request, TrainListener listener) {
        this.request = request;
        this.listener = listener;
        this.o = Options.parse(request.options());
        this.out = request.output().toAbsolutePath();
    }

    TrainResult run() {
        Dataset data = Dataset.read(request.dataset(), o.groups());
        boolean classify = data.task().equals("classification");
        String metricName = o.metric().isBlank() ? (classify ? "accuracy" : "spearman") : o.metric();
        boolean lowerIsBetter = metricName.equals("loss") || metricName.equals("mae") || metricName.equals("rmse");
        Split split = Split.of(data.samples(), o.val(), o.test(), o.seed());
        if (split.train().isEmpty() || split.val().isEmpty()) {
            throw new KonomiException(data.source() + ": too few images to split (train " + split.train().size() + ", validation "
                    + split.val().size() + ")");
        }
        double[] range = classify ? null : new double[] {min(data.samples()), max(data.samples())};
        ModelMeta meta = new ModelMeta(data.task(), data.labels(), o.size(), ModelMeta.RGB01, range);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new KonomiException(out + ": cannot create output folder: " + e.getMessage(), e);
        }
        Path stateFile = out.resolve("state.json"), checkpoint = out.resolve("checkpoint.zip"), best = out.resolve("model.zip");

        int side = Tensors.cropFrom(o.size());
        listener.message(String.format(Locale.ROOT, "%s, %d images: train %d, validation %d, test %d (seed %d, %s); loading at %d px",
                data.task(), data.samples().size(), split.train().size(), split.val().size(), split.test().size(), o.seed(),
                o.groups().isBlank() ? "one group per image" : "grouped by " + o.groups(), side));
        long t0 = System.nanoTime();
        ImageCache train = new ImageCache(split.train(), side, o.workers());
        ImageCache val = new ImageCache(split.val(), side, o.workers());
        List<String> skipped = new ArrayList<>(train.skipped);
        skipped.addAll(val.skipped);
        skipped.forEach(s -> listener.message("skipped " + s));
        listener.message(String.format(Locale.ROOT, "loaded in %.1f s", (System.nanoTime() - t0) / 1e9));

        State state = State.load(stateFile, o.resume() && Files.isRegularFile(checkpoint));
        MultiLayerNetwork net;
        if (state != null) {
            if (!state.labels.equals(meta.labels()) || state.size != meta.size() || !state.task.equals(meta.task())) {
                throw new KonomiException(out + ": holds a run on another dataset or input size; use another output folder or resume=false");
            }
            net = restore(checkpoint, true);
            listener.message("resuming after epoch " + state.epoch + " (best " + metricName + " "
                    + String.format(Locale.ROOT, "%.4f", state.bestMetric) + " at epoch " + state.bestEpoch + ")");
        } else {
            state = new State(meta.task(), meta.labels(), meta.size());
            Map<Integer, Double> lrs = new LinkedHashMap<>();
            for (int e = 0; e < o.epochs(); e++) {
                lrs.put(e, o.learningRate(e));
            }
            if (o.init().isBlank()) {
                net = Nets.faceNet(meta, o.seed(), new MapSchedule(ScheduleType.EPOCH, lrs), o.weightDecay());
            } else {
                Path base = Path.of(o.init());
                base = Files.isDirectory(base) ? base.resolve("model.zip") : base;
                MultiLayerNetwork start = restore(base, false);
                net = Nets.fromBase(start, meta, o.seed(), new MapSchedule(ScheduleType.EPOCH, lrs), o.weightDecay(), o.freeze());
                listener.message("starting from " + base + (o.freeze() ? " (feature layers frozen)" : " (all layers fine-tuned)"));
            }
        }
        Nets.forTraining(net);
        int classes = classify ? meta.labels().size() : 0;
        Batches trainBatches = new Batches(train, o.size(), classes, net), valBatches = new Batches(val, o.size(), classes, net);
        double epochSeconds = 0;
        for (int epoch = state.epoch + 1; epoch <= o.epochs(); epoch++) {
            if (epoch - state.bestEpoch > o.patience() && state.bestEpoch > 0) {
                listener.message("early stop: no better " + metricName + " for " + o.patience() + " epochs");
                break;
            }
            long e0 = System.nanoTime();
            double loss = fitEpoch(net, trainBatches, epoch);
            double trainSeconds = (System.nanoTime() - e0) / 1e9;
            Map<String, Double> v = evaluate(net, valBatches, classes, null);
            double metric = v.get(metricName) == null ? Double.NaN : v.get(metricName);
            boolean improved = state.bestEpoch == 0 || (lowerIsBetter ? metric < state.bestMetric : metric > state.bestMetric);
            if (improved) {
                state.bestEpoch = epoch;
                state.bestMetric = metric;
                state.bestValidation = v;
                write(best, f -> ModelSerializer.writeModel(net, f, false));
                write(out.resolve("model.json"), f -> meta.write(f.toPath()));
            }
            double seconds = (System.nanoTime() - e0) / 1e9;
            epochSeconds = epochSeconds == 0 ? seconds : 0.7 * epochSeconds + 0.3 * seconds;
            double lr = o.learningRate(epoch - 1);
            state.epoch = epoch;
            state.history.add(new double[] {epoch, loss, v.get("loss"), metric, lr, train.size() / trainSeconds, seconds});
            write(checkpoint, f -> ModelSerializer.writeModel(net, f, true));
            if (o.checkpointEvery() > 0 && epoch % o.checkpointEvery() == 0) {
                write(out.resolve(String.format(Locale.ROOT, "epoch-%03d.zip", epoch)), f -> ModelSerializer.writeModel(net, f, false));
            }
            writeCurve(state, metricName);
            state.save(stateFile);
            listener.epoch(new EpochReport(epoch, o.epochs(), loss, v.get("loss"), metricName, metric, lr, train.size() / trainSeconds,
                    seconds, epochSeconds * (o.epochs() - epoch), improved));
        }
        if (state.bestEpoch == 0) {
            throw new KonomiException(out + ": no epoch finished");
        }
        return finish(meta, split, classes, state, metricName, skipped, side);
    }

    /** The learning-rate range test (see Trainer#findLearningRate), on the training split. */
    double[][] findLearningRate(double minLr, double maxLr, int steps) {
        if (!(minLr > 0) || !(maxLr > minLr) || steps < 5) {
            throw new KonomiException("lr-find needs 0 < min < max and at least 5 steps");
        }
        Dataset data = Dataset.read(request.dataset(), o.groups());
        boolean classify = data.task().equals("classification");
        double[] range = classify ? null : new double[] {min(data.samples()), max(data.samples())};
        ModelMeta meta = new ModelMeta(data.task(), data.labels(), o.size(), ModelMeta.RGB01, range);
        Split split = Split.of(data.samples(), o.val(), o.test(), o.seed());
        ImageCache train = new ImageCache(split.train(), Tensors.cropFrom(o.size()), o.workers());
        Map<Integer, Double> lrs = new LinkedHashMap<>();
        for (int i = 0; i < steps; i++) {
            lrs.put(i, minLr * Math.pow(maxLr / minLr, (double) i / (steps - 1)));
        }
        MultiLayerNetwork net = Nets.forTraining(Nets.faceNet(meta, o.seed(), new MapSchedule(ScheduleType.ITERATION, lrs), o.weightDecay()));
        Batches batches = new Batches(train, o.size(), classify ? meta.labels().size() : 0, net);
        SplittableRandom rnd = new SplittableRandom(o.seed());
        int[] order = Batches.shuffled(train.size(), rnd.split());
        List<double[]> rows = new ArrayList<>();
        double smooth = 0, best = Double.MAX_VALUE;
        for (int i = 0, from = 0; i < steps; i++, from += o.batch()) {
            if (from + o.batch() > train.size()) {
                from = 0;
                order = Batches.shuffled(train.size(), rnd.split());
            }
            net.fit(batches.batch(order, from, Math.min(train.size(), from + o.batch()), o.augment(), rnd));
            double loss = net.score();
            smooth = 0.9 * smooth + 0.1 * loss; // fastai-style: exponential average from 0, bias-corrected
            double corrected = smooth / (1 - Math.pow(0.9, i + 1));
            rows.add(new double[] {lrs.get(i), loss, corrected});
            best = Math.min(best, rows.get(rows.size() - 1)[2]);
            if (i > 5 && (rows.get(rows.size() - 1)[2] > 4 * best || Double.isNaN(loss))) {
                listener.message(String.format(Locale.ROOT, "stopped at lr %.3g: the loss diverged", lrs.get(i)));
                break;
            }
        }
        return rows.toArray(new double[0][]);
    }

    /** K folds, each a fresh network trained on the others; the watched metric per fold and epoch. */
    double[][] crossValidate(int folds) {
        if (folds < 2 || folds > 20) {
            throw new KonomiException("folds must be between 2 and 20, not " + folds);
        }
        Dataset data = Dataset.read(request.dataset(), o.groups());
        boolean classify = data.task().equals("classification");
        String metricName = o.metric().isBlank() ? (classify ? "accuracy" : "spearman") : o.metric();
        double[] range = classify ? null : new double[] {min(data.samples()), max(data.samples())};
        ModelMeta meta = new ModelMeta(data.task(), data.labels(), o.size(), ModelMeta.RGB01, range);
        int classes = classify ? meta.labels().size() : 0;
        int side = Tensors.cropFrom(o.size());
        ImageCache all = new ImageCache(data.samples(), side, o.workers());
        all.skipped.forEach(s -> listener.message("skipped " + s));
        double[][] result = new double[folds][o.epochs()];
        Map<String, Integer> foldOf = Split.folds(all.samples, folds, o.seed(), classify);
        for (int k = 0; k < folds; k++) {
            int fold = k;
            ImageCache train = all.subset(s -> foldOf.get(s.group()) != fold), held = all.subset(s -> foldOf.get(s.group()) == fold);
            listener.message(String.format(Locale.ROOT, "fold %d/%d: train %d, held out %d", k + 1, folds, train.size(), held.size()));
            Map<Integer, Double> lrs = new LinkedHashMap<>();
            for (int e = 0; e < o.epochs(); e++) {
                lrs.put(e, o.learningRate(e));
            }
            MultiLayerNetwork net = Nets.forTraining(Nets.faceNet(meta, o.seed() + k, new MapSchedule(ScheduleType.EPOCH, lrs), o.weightDecay()));
            Batches tb = new Batches(train, o.size(), classes, net), hb = new Batches(held, o.size(), classes, net);
            for (int epoch = 1; epoch <= o.epochs(); epoch++) {
                long e0 = System.nanoTime();
                double loss = fitEpoch(net, tb, epoch);
                double trainSeconds = (System.nanoTime() - e0) / 1e9;
                Map<String, Double> v = evaluate(net, hb, classes, null);
                result[k][epoch - 1] = v.getOrDefault(metricName, Double.NaN);
                double seconds = (System.nanoTime() - e0) / 1e9;
                listener.epoch(new EpochReport(epoch, o.epochs(), loss, v.get("loss"), metricName + " fold " + (k + 1), result[k][epoch - 1],
                        o.learningRate(epoch - 1), train.size() / trainSeconds, seconds,
                        seconds * ((long) (folds - k - 1) * o.epochs() + o.epochs() - epoch), false));
            }
        }
        return result;
    }

    private double fitEpoch(MultiLayerNetwork net, Batches batches, int epoch) {
        int n = batches.samples().size();
        SplittableRandom rnd = new SplittableRandom(o.seed() * 7919 + epoch);
        int[] order = Batches.shuffled(n, rnd.split());
        SplittableRandom aug = rnd.split();
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(3);
        Object end = new Object();
        Thread producer = new Thread(() -> {
            try {
                for (int from = 0; from < n; from += o.batch()) {
                    queue.put(batches.batch(order, from, Math.min(n, from + o.batch()), o.augment(), aug));
                }
                queue.put(end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                queue.offer(e);
            }
        }, "konomi-batches");
        producer.setDaemon(true);
        producer.start();
        double sum = 0;
        int batchesDone = 0;
        try {
            while (true) {
                Object item = queue.poll(10, TimeUnit.MINUTES);
                if (item == end) {
                    break;
                }
                if (item instanceof RuntimeException e) {
                    throw e;
                }
                if (item == null) {
                    throw new KonomiException("batch preparation stalled");
                }
                net.fit((DataSet) item);
                sum += net.score();
                batchesDone++;
            }
        } catch (InterruptedException e) {
            producer.interrupt();
            Thread.currentThread().interrupt();
            throw new KonomiException("training interrupted; it resumes from the last finished epoch");
        }
        net.incrementEpochCount();
        return sum / Math.max(1, batchesDone);
    }

    /** Validation or test metrics of the network on a cached set (centre crops). */
    private Map<String, Double> evaluate(MultiLayerNetwork net, Batches batches, int classes, int[][] confusion) {
        int n = batches.samples().size();
        int[] order = Batches.identity(n);
        float[][] probs = new float[n][];
        double[] pred = new double[n], truth = new double[n];
        int[] labels = new int[n];
        for (int from = 0; from < n; from += o.batch()) {
            int to = Math.min(n, from + o.batch());
            DataSet ds = batches.batch(order, from, to, Options.Augment.NONE, null);
            INDArray y = net.output(ds.getFeatures(), false);
            for (int i = from; i < to; i++) {
                Sample s = batches.samples().get(i);
                if (classes > 0) {
                    probs[i] = y.getRow(i - from).toFloatVector();
                    labels[i] = s.label();
                } else {
                    pred[i] = y.getDouble(i - from, 0);
                    truth[i] = s.target();
                }
            }
        }
        return classes > 0 ? Metrics.classification(probs, labels, confusion == null ? new int[classes][classes] : confusion)
                : Metrics.regression(pred, truth);
    }

    private TrainResult finish(ModelMeta meta, Split split, int classes, State state, String metricName, List<String> skipped, int side) {
        Map<String, Double> test = Map.of();
        int[][] confusion = null;
        ObjectNode m = JSON.createObjectNode();
        if (!split.test().isEmpty()) {
            ImageCache testCache = new ImageCache(split.test(), side, o.workers());
            skipped.addAll(testCache.skipped);
            MultiLayerNetwork bestNet = restore(out.resolve("model.zip"), false);
            confusion = classes > 0 ? new int[classes][classes] : null;
            test = evaluate(bestNet, new Batches(testCache, o.size(), classes, bestNet), classes, confusion);
        }
        m.put("task", meta.task());
        m.put("dataset", request.dataset().toAbsolutePath().toString());
        ObjectNode sp = m.putObject("split");
        sp.put("seed", o.seed());
        sp.put("train", split.train().size());
        sp.put("validation", split.val().size());
        sp.put("test", split.test().size());
        sp.put("grouped_by", o.groups().isBlank() ? "image" : o.groups());
        m.put("metric", metricName);
        m.put("best_epoch", state.bestEpoch);
        m.put("epochs", state.epoch);
        m.set("options", JSON.valueToTree(request.options()));
        m.set("validation", JSON.valueToTree(state.bestValidation));
        m.set("test", JSON.valueToTree(test));
        if (confusion != null) {
            m.set("labels", JSON.valueToTree(meta.labels()));
            m.set("test_confusion", JSON.valueToTree(confusion));
        }
        m.set("skipped", JSON.valueToTree(skipped));
        Path metrics = out.resolve("metrics.json");
        write(metrics, f -> JSON.writerWithDefaultPrettyPrinter().writeValue(f, m));
        return new TrainResult(out.resolve("model.zip"), metrics, state.bestValidation, test, state.bestEpoch, state.epoch);
    }

    private void writeCurve(State state, String metricName) {
        write(out.resolve("train.csv"), f -> {
            try (Writer w = Files.newBufferedWriter(f.toPath(), StandardCharsets.UTF_8)) {
                w.write("epoch,train_loss,val_loss,val_" + metricName + ",lr,images_per_s,seconds\n");
                for (double[] r : state.history) {
                    w.write(String.format(Locale.ROOT, "%d,%.5f,%.5f,%.5f,%.6g,%.1f,%.1f%n", (int) r[0], r[1], r[2], r[3], r[4], r[5], r[6]));
                }
            }
        });
    }

    private static MultiLayerNetwork restore(Path zip, boolean updater) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), updater);
        } catch (IOException | RuntimeException e) {
            throw new KonomiException(zip + ": cannot load checkpoint: " + e.getMessage(), e);
        }
    }

    private interface FileWriter {
        void write(File f) throws IOException;
    }

    /** Writes to a temporary sibling, then moves it into place: a kill never leaves half a file. */
    private static void write(Path target, FileWriter w) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not POSIX
            }
            w.write(tmp.toFile());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new KonomiException(target + ": cannot write: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    LOG.debug("leftover {}", tmp);
                }
            }
        }
    }

    private static double min(List<Sample> s) {
        return s.stream().mapToDouble(Sample::target).min().orElse(0);
    }

    private static double max(List<Sample> s) {
        return s.stream().mapToDouble(Sample::target).max().orElse(0);
    }

    /** What a resumed run needs: finished epochs, the best so far, the curve. */
    static final class State {
        public String task;
        public List<String> labels;
        public int size;
        public int epoch;
        public int bestEpoch;
        public double bestMetric;
        public Map<String, Double> bestValidation = Map.of();
        public List<double[]> history = new ArrayList<>();

        public State() {
        }

        State(String task, List<String> labels, int size) {
            this.task = task;
            this.labels = labels;
            this.size = size;
        }

        static State load(Path file, boolean resume) {
            if (!resume || !Files.isRegularFile(file)) {
                return null;
            }
            try {
                return JSON.readValue(file.toFile(), State.class);
            } catch (IOException e) {
                throw new KonomiException(file + ": unreadable training state (" + e.getMessage() + "); use resume=false to start over");
            }
        }

        void save(Path file) {
            write(file, f -> JSON.writeValue(f, this));
        }
    }
}
