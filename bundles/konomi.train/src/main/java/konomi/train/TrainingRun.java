package konomi.train;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.schedule.ISchedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import konomi.api.KonomiException;
import konomi.api.train.EpochReport;
import konomi.api.train.SplitSpec;
import konomi.api.train.Recipe;
import konomi.api.train.TrainListener;
import konomi.api.train.TrainOptions;
import konomi.api.train.TrainResult;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;
import konomi.nn.Tensors;
import konomi.nn.WeightAverage;

/**
 * One training run in an output folder. Every epoch: shuffled, augmented batches (prepared by a second
 * thread while the network trains), then validation; the best epoch's weights go to {@code model.zip},
 * the last epoch (with the Adam state) to {@code checkpoint.zip} plus {@code state.json}, and the curve to
 * {@code train.csv}, each written atomically; the split to {@code split.json} before the first epoch. A killed
 * run resumes after its last finished epoch with the same shuffles (they depend on seed and epoch only). Stops
 * early when the watched validation metric has not improved for {@code patience} epochs.
 */
final class TrainingRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataset;
    private final Path out;
    private final TrainOptions o;
    private final TrainListener listener;
    private final Resolver initResolver;

    /** Resolves an option's value (a path or an installed model's name) to a network file, reporting what it chose. */
    interface Resolver {
        Path resolve(String option, String value, TrainListener listener);
    }

    TrainingRun(Path dataset, Path output, TrainOptions options, TrainListener listener, Resolver initResolver) {
        this.dataset = dataset;
        this.out = output.toAbsolutePath();
        this.o = options;
        this.listener = listener;
        this.initResolver = initResolver;
    }

    private static boolean sameSplit(SplitSpec a, SplitSpec b) {
        return a.seed() == b.seed() && a.val() == b.val() && a.test() == b.test()
                && java.util.Objects.equals(a.groups() == null ? null : a.groups().toAbsolutePath().normalize(),
                        b.groups() == null ? null : b.groups().toAbsolutePath().normalize());
    }

    /** The metric asked for, or the task's default. */
    static String metricName(String metric, boolean classify) {
        return metric != null ? metric : classify ? "accuracy" : "spearman";
    }

    TrainResult run() {
        SplitSpec spec = o.split();
        Dataset data = Dataset.read(dataset, spec.groups());
        boolean classify = data.task().equals("classification");
        String metricName = metricName(o.metric(), classify);
        boolean lowerIsBetter = metricName.equals("loss") || metricName.equals("mae") || metricName.equals("rmse");
        Split split = Split.of(data.samples(), spec.val(), spec.test(), spec.seed());
        if (split.train().isEmpty() || split.val().isEmpty()) {
            throw new KonomiException(data.source() + ": too few images to split (train " + split.train().size() + ", validation "
                    + split.val().size() + ")");
        }
        double[] range = classify ? null : new double[] {Loop.min(data.samples()), Loop.max(data.samples())};
        Recipe recipe = o.recipe();
        ModelMeta meta = new ModelMeta(data.task(), data.labels(), o.size(), ModelMeta.RGB01, range, recipe.flipTest() ? ModelMeta.FLIP : null);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new KonomiException(out + ": cannot create output folder: " + e.getMessage(), e);
        }
        Path stateFile = out.resolve("state.json"), checkpoint = out.resolve("checkpoint.zip"), best = out.resolve("model.zip");
        Path averageFile = out.resolve("average.zip");

        int side = Tensors.cropFrom(o.size());
        listener.message(String.format(Locale.ROOT, "%s, %d images: train %d, validation %d, test %d (seed %d, %s); loading at %d px",
                data.task(), data.samples().size(), split.train().size(), split.val().size(), split.test().size(), spec.seed(),
                spec.groups() == null ? "one group per image" : "grouped by " + spec.groups(), side));
        boolean resuming = o.resume() && Files.isRegularFile(checkpoint) && Files.isRegularFile(stateFile);
        RecordedSplit before = resuming ? RecordedSplit.read(out) : null;
        if (before != null && !sameSplit(before.spec(), spec)) {
            throw new KonomiException(out + ": was trained on another split (seed " + before.seed() + ", val " + before.val() + ", test "
                    + before.testFraction() + ", " + (before.groups() == null ? "one group per image" : "grouped by " + before.groups())
                    + "); resuming on this one would train on its test files: give the same --seed/--val/--test/--groups, or --fresh");
        }
        // recorded first, so that evaluating any checkpoint of this run holds back what training held back
        RecordedSplit.of(data, split, spec).write(out);
        long t0 = System.nanoTime();
        List<Sample> trained = split.train();
        if (o.finalFit()) {
            trained = java.util.stream.Stream.concat(split.train().stream(), split.val().stream()).toList();
            listener.message("--final: training on the training and validation parts together (" + trained.size()
                    + " images) and keeping the last epoch; the validation figures below are on pictures it trains on");
        }
        ImageCache train = new ImageCache(trained, side, o.workers());
        ImageCache val = new ImageCache(split.val(), side, o.workers());
        List<String> skipped = new ArrayList<>(train.skipped);
        skipped.addAll(val.skipped);
        skipped.forEach(s -> listener.message("skipped " + s));
        listener.message(String.format(Locale.ROOT, "loaded in %.1f s", (System.nanoTime() - t0) / 1e9));

        State state = State.load(stateFile, o.resume() && Files.isRegularFile(checkpoint));
        Model net;
        if (state != null) {
            if (!state.labels.equals(meta.labels()) || state.size != meta.size() || !state.task.equals(meta.task())) {
                throw new KonomiException(out + ": holds a run on another dataset or input size; use another output folder or --fresh");
            }
            if (state.finalFit != o.finalFit()) {
                throw new KonomiException(out + ": was trained " + (state.finalFit ? "with" : "without") + " --final (validation pictures "
                        + (state.finalFit ? "in" : "out of") + " its training set); resume it the same way, or give --fresh");
            }
            net = Loop.restoreModel(checkpoint, true);
            Nets.learningRate(net, Schedules.perEpoch(o)); // the options' schedule: a run resumed with more epochs or --swa follows it
            listener.message("resuming after epoch " + state.epoch + " (best " + metricName + " "
                    + String.format(Locale.ROOT, "%.4f", state.bestMetric) + " at epoch " + state.bestEpoch + ")");
        } else {
            state = new State(meta.task(), meta.labels(), meta.size());
            state.finalFit = o.finalFit();
            if (o.init() == null) {
                net = Nets.network(meta, spec.seed(), Schedules.perEpoch(o), o.weightDecay(), CNN2DFormat.NCHW, recipe.net());
            } else {
                Path base = initResolver.resolve("--init", o.init(), listener);
                Model start = Loop.restoreModel(base, false);
                ISchedule lr = Schedules.perEpoch(o);
                if (recipe.viaLabels()) {
                    try {
                        net = start instanceof MultiLayerNetwork layers ? Nets.viaLabels(layers, meta, spec.seed(), lr, o.weightDecay())
                                : Nets.viaLabels((ComputationGraph) start, meta, spec.seed(), lr, o.weightDecay());
                    } catch (IllegalArgumentException e) {
                        throw new KonomiException("--via-labels: " + e.getMessage() + " (" + base + ")");
                    }
                } else {
                    net = start instanceof MultiLayerNetwork layers ? Nets.fromBase(layers, meta, spec.seed(), lr, o.weightDecay(), o.freeze())
                            : Nets.fromBase((ComputationGraph) start, meta, spec.seed(), lr, o.weightDecay(), o.freeze());
                }
                listener.message("starting from " + base + (recipe.viaLabels() ? " (frozen; predicting through its labels)"
                        : o.freeze() ? " (feature layers frozen)" : " (all layers fine-tuned)"));
            }
        }
        Nets.forTraining(net);
        Distillation teacher = null;
        if (recipe.teacher() != null) {
            if (!classify) {
                throw new KonomiException("--teacher is for classifiers; " + data.source() + " holds ratings");
            }
            // a comma list is an ensemble of teachers (names and run folders hold no commas)
            List<Path> files = Arrays.stream(recipe.teacher().split(",")).map(String::trim).filter(t -> !t.isEmpty())
                    .map(t -> initResolver.resolve("--teacher", t, listener)).toList();
            teacher = Distillation.load(files, meta.labels(), meta.size(), recipe.distill(), recipe.temperature());
            listener.message(String.format(Locale.ROOT, "distilling from %s: %.2f of each target is %s probabilities at temperature %.2g",
                    files.stream().map(Path::toString).collect(Collectors.joining(" + ")), recipe.distill(),
                    files.size() > 1 ? "the mean of their" : "its", recipe.temperature()));
        }
        if (recipe.rank() > 0 && !classify) {
            if (!(net instanceof MultiLayerNetwork layers)) {
                throw new KonomiException("--rank: a residual network (--net res) cannot take the ranking loss yet");
            }
            Nets.withRankingLoss(layers, recipe.rank());
        }
        // the weight average is what is validated and kept; a resumed run continues the saved one. SWA's equal average
        // of epoch-end weights replaces the moving one (if any) from its first epoch on.
        int swaStart = recipe.swa() > 0 ? o.epochs() - recipe.swa() + 1 : Integer.MAX_VALUE;
        if (state.epoch >= swaStart && !Files.isRegularFile(averageFile)) {
            throw new KonomiException(averageFile + ": missing, so the weight average of this run's last epochs cannot be resumed; use --fresh");
        }
        WeightAverage<Model> average = state.epoch >= swaStart ? new WeightAverage<>(Loop.restoreModel(averageFile, false), 0, false)
                : Loop.average(recipe.ema(), net, averageFile, state.epoch > 0);
        Model judged = average == null ? net : average.network();
        int classes = classify ? meta.labels().size() : 0;
        Batches trainBatches = new Batches(train, o.size(), classes, net).training(recipe), valBatches = new Batches(val, o.size(), classes, net);
        double epochSeconds = 0;
        for (int epoch = state.epoch + 1; epoch <= o.epochs(); epoch++) {
            if (epoch < swaStart && epoch - state.bestEpoch > o.patience() && state.bestEpoch > 0) { // the averaged epochs all run
                listener.message("early stop: no better " + metricName + " for " + o.patience() + " epochs");
                break;
            }
            long e0 = System.nanoTime();
            double loss = Loop.fitEpoch(net, trainBatches, epoch, o, epoch >= swaStart ? null : average, teacher);
            if (epoch == swaStart) {
                average = new WeightAverage<>(net, 0, true);
                judged = average.network();
            } else if (epoch > swaStart) {
                average.include(net, epoch - swaStart + 1);
            }
            double trainSeconds = (System.nanoTime() - e0) / 1e9;
            Map<String, Double> v = Loop.measure(judged, valBatches, classes, null, o.batch(), recipe.flipTest());
            if (average != null || recipe.flipTest()) {
                // what each lever adds, measured on the same epoch: the README's levers table comes from these lines
                listener.message(String.format(Locale.ROOT, "epoch %d validation %s %.4f; without the average %.4f, without the flip test %.4f",
                        epoch, metricName, v.get(metricName), Loop.measure(net, valBatches, classes, null, o.batch(), recipe.flipTest()).get(metricName),
                        Loop.measure(judged, valBatches, classes, null, o.batch(), false).get(metricName)));
            }
            double metric = v.get(metricName) == null ? Double.NaN : v.get(metricName);
            // --final keeps the last epoch: its validation pictures are trained on, so they cannot choose one
            boolean improved = o.finalFit() || state.bestEpoch == 0 || (lowerIsBetter ? metric < state.bestMetric : metric > state.bestMetric);
            if (improved) {
                state.bestEpoch = epoch;
                state.bestMetric = metric;
                state.bestValidation = v;
                Loop.writeModel(best, judged, false);
                Loop.write(out.resolve("model.json"), meta::write);
            }
            double seconds = (System.nanoTime() - e0) / 1e9;
            epochSeconds = epochSeconds == 0 ? seconds : 0.7 * epochSeconds + 0.3 * seconds;
            double lr = Schedules.learningRate(o, epoch - 1);
            state.epoch = epoch;
            state.history.add(new double[] {epoch, loss, v.get("loss"), metric, lr, train.size() / trainSeconds, seconds});
            if (average != null) { // first: a kill between the two leaves the older checkpoint with an average at most one epoch ahead
                Loop.writeModel(averageFile, average.network(), false);
            }
            Loop.writeModel(checkpoint, net, true);
            if (o.checkpointEvery() > 0 && epoch % o.checkpointEvery() == 0) {
                Loop.writeModel(out.resolve(String.format(Locale.ROOT, "epoch-%03d.zip", epoch)), judged, false);
            }
            writeCurve(state, metricName);
            state.save(stateFile);
            listener.epoch(new EpochReport(epoch, o.epochs(), loss, v.get("loss"), metricName, metric, lr, train.size() / trainSeconds,
                    seconds, epochSeconds * (o.epochs() - epoch), improved));
        }
        if (state.bestEpoch == 0) {
            throw new KonomiException(out + ": no epoch finished");
        }
        return finish(meta, data, split, classes, state, metricName, skipped, side);
    }

    private TrainResult finish(ModelMeta meta, Dataset data, Split split, int classes, State state, String metricName, List<String> skipped,
                               int side) {
        Map<String, Double> test = Map.of();
        int[][] confusion = null;
        ObjectNode m = JSON.createObjectNode();
        if (!split.test().isEmpty()) {
            ImageCache testCache = new ImageCache(split.test(), side, o.workers());
            skipped.addAll(testCache.skipped);
            Model bestNet = Loop.restoreModel(out.resolve("model.zip"), false);
            confusion = classes > 0 ? new int[classes][classes] : null;
            test = Loop.measure(bestNet, new Batches(testCache, o.size(), classes, bestNet), classes, confusion, o.batch(), meta.flipTest());
        }
        SplitSpec spec = o.split();
        m.put("task", meta.task());
        m.put("dataset", dataset.toAbsolutePath().toString());
        ObjectNode sp = m.putObject("split");
        sp.put("seed", spec.seed());
        sp.put("train", split.train().size());
        sp.put("validation", split.val().size());
        sp.put("test", split.test().size());
        sp.put("grouped_by", spec.groups() == null ? "image" : spec.groups().toString());
        sp.put("files", RecordedSplit.FILE);
        m.put("metric", metricName);
        m.put("best_epoch", state.bestEpoch);
        m.put("validation_trained_on", o.finalFit());
        m.put("epochs", state.epoch);
        m.set("options", options());
        m.set("validation", JSON.valueToTree(state.bestValidation));
        m.set("test", JSON.valueToTree(test));
        if (confusion != null) {
            m.set("labels", JSON.valueToTree(meta.labels()));
            m.set("test_confusion", JSON.valueToTree(confusion));
        }
        m.set("skipped", JSON.valueToTree(skipped));
        Path metrics = out.resolve("metrics.json");
        Loop.write(metrics, s -> JSON.writerWithDefaultPrettyPrinter().writeValue(s, m));
        return new TrainResult(out.resolve("model.zip"), metrics, state.bestValidation, test, state.bestEpoch, state.epoch);
    }

    /** The options as given to train:run, by their option names. */
    private ObjectNode options() {
        ObjectNode n = JSON.createObjectNode();
        n.put("epochs", o.epochs());
        n.put("batch", o.batch());
        n.put("size", o.size());
        n.put("lr", o.learningRate());
        n.put("schedule", o.schedule().label());
        n.put("weight-decay", o.weightDecay());
        n.put("patience", o.patience());
        n.put("metric", o.metric());
        n.put("augment", (o.augment().crop() ? "crop," : "") + (o.augment().flip() ? "flip," : "") + (o.augment().jitter() ? "jitter," : "") + (o.augment().zoom() ? "zoom," : "") + (o.augment().grey() ? "grey," : ""));
        n.put("seed", o.split().seed());
        n.put("val", o.split().val());
        n.put("test", o.split().test());
        n.put("groups", o.split().groups() == null ? null : o.split().groups().toString());
        n.put("init", o.init());
        n.put("freeze", o.freeze());
        n.put("checkpoint-every", o.checkpointEvery());
        n.put("final", o.finalFit());
        Recipe r = o.recipe();
        n.put("net", r.net());
        n.put("smoothing", r.smoothing());
        n.put("cutmix", r.cutmix());
        n.put("ema", r.ema());
        n.put("swa", r.swa());
        n.put("swa-lr", r.swaLr());
        n.put("tta", r.flipTest() ? ModelMeta.FLIP : "none");
        n.put("rank", r.rank());
        n.put("via-labels", r.viaLabels());
        n.put("teacher", r.teacher());
        n.put("distill", r.teacher() == null ? 0 : r.distill());
        n.put("temperature", r.temperature());
        return n;
    }

    private void writeCurve(State state, String metricName) {
        Loop.write(out.resolve("train.csv"), s -> {
            CSVPrinter p = new CSVPrinter(new OutputStreamWriter(s, StandardCharsets.UTF_8), CSVFormat.DEFAULT.builder()
                    .setRecordSeparator('\n').setHeader("epoch", "train_loss", "val_loss", "val_" + metricName, "lr", "images_per_s", "seconds").build());
            for (double[] r : state.history) {
                p.printRecord((int) r[0], f("%.5f", r[1]), f("%.5f", r[2]), f("%.5f", r[3]), f("%.6g", r[4]), f("%.1f", r[5]), f("%.1f", r[6]));
            }
            p.flush();
        });
    }

    private static String f(String format, double v) {
        return String.format(Locale.ROOT, format, v);
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
        /** Trained with --final: the validation part is in its training set. */
        public boolean finalFit;
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
                throw new KonomiException(file + ": unreadable training state (" + e.getMessage() + "); use --fresh to start over");
            }
        }

        void save(Path file) {
            Loop.write(file, s -> JSON.writeValue(s, this));
        }
    }
}
