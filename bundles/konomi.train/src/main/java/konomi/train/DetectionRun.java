package konomi.train;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.train.Augment;
import konomi.api.train.EpochReport;
import konomi.api.train.Recipe;
import konomi.api.train.TrainListener;
import konomi.api.train.TrainOptions;
import konomi.api.train.TrainResult;
import konomi.imaging.boxes.DetectionMetrics;
import konomi.nn.Nets;
import konomi.nn.WeightAverage;
import konomi.nn.detect.DetectorMeta;
import konomi.nn.detect.DetectorNets;
import konomi.nn.detect.Placement;
import konomi.nn.detect.CentreLoss;

/**
 * One detector training run ({@code train:run --task detect}), with the same folder contract as a scorer's run:
 * {@code split.json} first, then per epoch the best weights in {@code model.zip} (+ {@code model.json}), the last in
 * {@code checkpoint.zip} with {@code state.json}, the curve in {@code train.csv}; resumes after the last finished
 * epoch; stops early on the validation AP@0.5. At the end: the confidence threshold with the best F1 on the
 * validation pictures goes into {@code model.json}, and {@code metrics.json} gets validation and test figures.
 */
final class DetectionRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SPLIT_FILE = "split.json";
    /** Detections below this confidence are not worth ranking for AP. */
    static final double AP_FLOOR = 0.01;
    static final int ANCHORS = 5;

    private final Path dataset;
    private final Path out;
    private final TrainOptions o;
    private final TrainListener listener;
    private final BiFunction<String, TrainListener, Path> initResolver;

    DetectionRun(Path dataset, Path output, TrainOptions options, TrainListener listener, BiFunction<String, TrainListener, Path> initResolver) {
        this.dataset = dataset;
        this.out = output.toAbsolutePath();
        this.o = options;
        this.listener = listener;
        this.initResolver = initResolver;
    }

    TrainResult run() {
        DetectionData data = DetectionData.read(dataset, o.extra(), o.split());
        if (data.train().isEmpty() || data.val().isEmpty()) {
            throw new KonomiException(dataset + ": too few labelled pictures to split (train " + data.train().size() + ", validation "
                    + data.val().size() + ")");
        }
        if (o.size() % 16 != 0) {
            throw new KonomiException("--size must be a multiple of 16 for a detector, not " + o.size());
        }
        String metricName = o.metric() == null ? "ap50" : o.metric();
        if (!metricName.equals("ap50") && !metricName.equals("loss")) {
            throw new KonomiException("--metric for a detector must be ap50 or loss, not " + metricName);
        }
        boolean lowerIsBetter = metricName.equals("loss");
        Recipe recipe = o.recipe();
        if (!recipe.withEma(0).equals(Recipe.DEFAULT)) {
            throw new KonomiException("--net, --smoothing, --cutmix, --tta, --rank, --via-labels and --teacher are for scorers; a detector takes --ema only");
        }
        if (o.augment().zoom()) {
            throw new KonomiException("--augment zoom is for scorers; a detector zooms its pictures with crop (0.6-1.5x)");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new KonomiException(out + ": cannot create output folder: " + e.getMessage(), e);
        }
        Path stateFile = out.resolve("state.json"), checkpoint = out.resolve("checkpoint.zip"), best = out.resolve("model.zip");
        Path averageFile = out.resolve("average.zip");
        long faces = data.train().stream().mapToLong(s -> data.boxes().get(s.file()).size()).sum();
        listener.message(String.format(Locale.ROOT, "detection, %d pictures: train %d (%d faces), validation %d, test %d (split: %s); input %d px",
                data.train().size() + data.val().size() + data.test().size(), data.train().size(), faces, data.val().size(),
                data.test().size(), data.splitFrom(), o.size()));
        TrainingRun.State state = TrainingRun.State.load(stateFile, o.resume() && Files.isRegularFile(checkpoint));
        DetectorMeta meta;
        MultiLayerNetwork net;
        if (state != null) {
            if (state.size != o.size() || !DetectorMeta.TASK.equals(state.task)) {
                throw new KonomiException(out + ": holds a run of another task or input size; use another output folder or --fresh");
            }
            checkSameSplit(data);
            meta = DetectorMeta.read(out.resolve("model.json"));
            if (o.head() != null && !o.head().equals(meta.head())) {
                throw new KonomiException(out + ": holds a detector with the " + meta.head() + " head, not " + o.head() + "; use another output folder or --fresh");
            }
            net = Loop.restore(checkpoint, true);
            listener.message("resuming after epoch " + state.epoch + " (best " + metricName + " "
                    + String.format(Locale.ROOT, "%.4f", state.bestMetric) + " at epoch " + state.bestEpoch + ")");
        } else {
            state = new TrainingRun.State(DetectorMeta.TASK, List.of("face"), o.size());
            meta = TrainOptions.YOLO2.equals(o.detectorHead()) ? new DetectorMeta(o.size(), 16, anchors(data, o.size(), 16), 0.3, 0.4)
                    : DetectorMeta.centre(o.size(), 16, 0.3, 0.4);
            net = start(meta);
        }
        Nets.forTraining(net);
        writeSplit(data);
        listener.message(meta.centred() ? "head: centre heatmap, stride 16" : "head: yolo2, anchors (cells of 16 px): " + meta.anchorList());
        // the weight average is what is validated and kept (as in a scorer's run); a resumed run continues the saved one
        WeightAverage<MultiLayerNetwork> average = Loop.average(recipe.ema(), net, averageFile, state.epoch > 0);
        MultiLayerNetwork judged = average == null ? net : average.network();
        DetectionBatches train = new DetectionBatches(data.train(), data.boxes(), meta);
        DetectionBatches val = new DetectionBatches(data.val(), data.boxes(), meta);
        double epochSeconds = 0;
        for (int epoch = state.epoch + 1; epoch <= o.epochs(); epoch++) {
            if (epoch - state.bestEpoch > o.patience() && state.bestEpoch > 0) {
                listener.message("early stop: no better " + metricName + " for " + o.patience() + " epochs");
                break;
            }
            long e0 = System.nanoTime();
            double loss = Loop.fitEpoch(net, data.train().size(), train::batch, epoch, o, average);
            double trainSeconds = (System.nanoTime() - e0) / 1e9;
            Map<String, Double> v = measure(judged, meta, val, data.boxes());
            if (average != null) { // what the average adds, on the same epoch
                listener.message(String.format(Locale.ROOT, "epoch %d validation %s %.4f; without the average %.4f", epoch, metricName,
                        v.get(metricName), measure(net, meta, val, data.boxes()).get(metricName)));
            }
            double metric = v.get(metricName);
            boolean improved = state.bestEpoch == 0 || (lowerIsBetter ? metric < state.bestMetric : metric > state.bestMetric);
            if (improved) {
                state.bestEpoch = epoch;
                state.bestMetric = metric;
                state.bestValidation = v;
                Loop.writeModel(best, judged, false);
                DetectorMeta m = meta;
                Loop.write(out.resolve("model.json"), m::write);
            } else if (epoch == 1 || !Files.isRegularFile(out.resolve("model.json"))) {
                DetectorMeta m = meta;
                Loop.write(out.resolve("model.json"), m::write);
            }
            double seconds = (System.nanoTime() - e0) / 1e9;
            epochSeconds = epochSeconds == 0 ? seconds : 0.7 * epochSeconds + 0.3 * seconds;
            double lr = Schedules.learningRate(o, epoch - 1);
            state.epoch = epoch;
            state.history.add(new double[] {epoch, loss, v.get("loss"), v.get("ap50"), v.get("recall"), lr,
                    data.train().size() / trainSeconds, seconds});
            if (average != null) { // first: a kill between the two leaves the older checkpoint with an average at most one epoch ahead
                Loop.writeModel(averageFile, average.network(), false);
            }
            Loop.writeModel(checkpoint, net, true);
            if (o.checkpointEvery() > 0 && epoch % o.checkpointEvery() == 0) {
                Loop.writeModel(out.resolve(String.format(Locale.ROOT, "epoch-%03d.zip", epoch)), judged, false);
            }
            writeCurve(state);
            state.save(stateFile);
            listener.epoch(new EpochReport(epoch, o.epochs(), loss, v.get("loss"), metricName, metric, lr, data.train().size() / trainSeconds,
                    seconds, epochSeconds * (o.epochs() - epoch), improved));
        }
        if (state.bestEpoch == 0) {
            throw new KonomiException(out + ": no epoch finished");
        }
        return finish(meta, data, state, metricName);
    }

    private MultiLayerNetwork start(DetectorMeta meta) {
        MultiLayerNetwork net = DetectorNets.create(meta, o.split().seed(), Schedules.perEpoch(o), o.weightDecay());
        if (o.init() != null) {
            Path base = initResolver.apply(o.init(), listener);
            MultiLayerNetwork from = Loop.restore(base, false);
            var last = from.getLayerWiseConfigurations().getConf(from.getnLayers() - 1).getLayer();
            boolean detector = last instanceof Yolo2OutputLayer || (last instanceof CnnLossLayer c && c.getLossFn() instanceof CentreLoss);
            if (!detector) {
                throw new KonomiException("--init " + o.init() + ": not a detector; a detector starts from a trained detector or from scratch");
            }
            // a trained detector (e.g. retraining on corrected labels): all of it if the shapes agree, else its backbone
            int copied = DetectorNets.copyLayers(from, net);
            if (copied < net.getnLayers() - 2) {
                throw new KonomiException("--init " + o.init() + ": a detector of another shape (layer " + copied + " differs); train from scratch");
            }
            listener.message("--init " + o.init() + ": " + (copied == net.getnLayers() ? "every layer of the detector" : "its backbone (" + copied
                    + " layers), a new head"));
        }
        return net;
    }

    /**
     * Anchors: k-means (IoU distance) over the training faces' sizes as the letterbox shows them, in cells; seeded by
     * quantiles of the sizes so the result is the same on every run.
     */
    static double[][] anchors(DetectionData data, int size, int stride) {
        List<double[]> wh = new ArrayList<>();
        for (Sample s : data.train()) {
            List<Box> boxes = data.boxes().get(s.file());
            if (boxes.isEmpty()) {
                continue;
            }
            konomi.imaging.ImageHeader h = konomi.imaging.boxes.BoxLabels.header(s.file());
            double scale = (double) size / Math.max(h.width(), h.height()) / stride;
            boxes.forEach(b -> wh.add(new double[] {b.width() * scale, b.height() * scale}));
        }
        if (wh.size() < ANCHORS) {
            throw new KonomiException(data.train().size() + " training pictures hold only " + wh.size() + " faces: too few to train a detector");
        }
        wh.sort((a, b) -> Double.compare(a[0] * a[1], b[0] * b[1]));
        double[][] c = new double[ANCHORS][];
        for (int k = 0; k < ANCHORS; k++) {
            c[k] = wh.get((int) ((k + 0.5) / ANCHORS * wh.size())).clone();
        }
        for (int iter = 0; iter < 30; iter++) {
            double[][] sum = new double[ANCHORS][3];
            for (double[] b : wh) {
                int best = 0;
                double bestIou = -1;
                for (int k = 0; k < ANCHORS; k++) {
                    double inter = Math.min(b[0], c[k][0]) * Math.min(b[1], c[k][1]);
                    double iou = inter / (b[0] * b[1] + c[k][0] * c[k][1] - inter);
                    if (iou > bestIou) {
                        bestIou = iou;
                        best = k;
                    }
                }
                sum[best][0] += b[0];
                sum[best][1] += b[1];
                sum[best][2]++;
            }
            for (int k = 0; k < ANCHORS; k++) {
                if (sum[k][2] > 0) {
                    c[k] = new double[] {sum[k][0] / sum[k][2], sum[k][1] / sum[k][2]};
                }
            }
        }
        java.util.Arrays.sort(c, (a, b) -> Double.compare(a[0] * a[1], b[0] * b[1]));
        return c;
    }

    /** Detections of a network on pictures (letterboxed), by sample id, down to {@code threshold}. */
    static Map<String, List<Face>> detect(MultiLayerNetwork net, DetectorMeta meta, List<Sample> samples, int batch, double threshold) {
        Map<String, List<Face>> found = new LinkedHashMap<>();
        DetectorNets.Decoder decoder = DetectorNets.decoder(meta);
        int s = meta.size(), per = 3 * s * s;
        for (int from = 0; from < samples.size(); from += batch) {
            int to = Math.min(samples.size(), from + batch);
            float[] x = new float[(to - from) * per];
            List<Image> images = new ArrayList<>();
            List<Placement> places = new ArrayList<>();
            for (int i = from; i < to; i++) {
                Image img = DetectionBatches.decode(samples.get(i).file());
                Placement p = Placement.letterbox(img.width(), img.height(), s);
                p.render(img, x, (i - from) * per);
                images.add(img);
                places.add(p);
            }
            INDArray y = net.output(Nd4j.create(x, new long[] {to - from, 3, s, s}, 'c'), false);
            for (int i = from; i < to; i++) {
                Image img = images.get(i - from);
                found.put(samples.get(i).id(), decoder.faces(y, i - from, places.get(i - from), img.width(), img.height(),
                        threshold, meta.nms()));
            }
        }
        return found;
    }

    /** Validation figures: loss, AP@0.5 and AP@0.3, and recall/precision at the detector's threshold. */
    Map<String, Double> measure(MultiLayerNetwork net, DetectorMeta meta, DetectionBatches batches, Map<Path, List<Box>> boxes) {
        List<Sample> samples = batches.samples();
        double loss = 0;
        int[] order = Batches.identity(samples.size());
        for (int from = 0; from < samples.size(); from += o.batch()) {
            int to = Math.min(samples.size(), from + o.batch());
            DataSet ds = batches.batch(order, from, to, Augment.NONE, null);
            loss += net.score(ds, false) * (to - from);
        }
        Map<String, Double> m = figures(truth(samples, boxes), detect(net, meta, samples, o.batch(), AP_FLOOR), meta.threshold());
        m.put("loss", loss / samples.size());
        return m;
    }

    static Map<String, List<Box>> truth(List<Sample> samples, Map<Path, List<Box>> boxes) {
        Map<String, List<Box>> t = new HashMap<>();
        samples.forEach(s -> t.put(s.id(), boxes.getOrDefault(s.file(), List.of())));
        return t;
    }

    /** AP@0.5, AP@0.3 over all detections; recall and precision of those at or above {@code threshold}. */
    static Map<String, Double> figures(Map<String, List<Box>> truth, Map<String, List<Face>> found, double threshold) {
        DetectionMetrics ap50 = DetectionMetrics.of(truth, found, 0.5), ap30 = DetectionMetrics.of(truth, found, 0.3);
        Map<String, List<Face>> kept = new HashMap<>();
        found.forEach((k, v) -> kept.put(k, v.stream().filter(f -> f.confidence() >= threshold).toList()));
        DetectionMetrics at = DetectionMetrics.of(truth, kept, 0.5);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("ap50", ap50.ap());
        m.put("ap30", ap30.ap());
        m.put("recall", at.recall());
        m.put("precision", at.precision());
        return m;
    }

    /** The confidence threshold with the best F1 at IoU 0.5 on these detections (validation, never test). */
    static double bestThreshold(Map<String, List<Box>> truth, Map<String, List<Face>> found) {
        DetectionMetrics m = DetectionMetrics.of(truth, found, 0.5);
        double best = 0.3, bestF1 = -1;
        for (DetectionMetrics.Ranked r : m.ranked()) {
            double f1 = r.recall() + r.precision() == 0 ? 0 : 2 * r.recall() * r.precision() / (r.recall() + r.precision());
            if (f1 > bestF1) {
                bestF1 = f1;
                best = r.face().confidence();
            }
        }
        return Math.max(AP_FLOOR, Math.floor(best * 1000) / 1000);
    }

    private TrainResult finish(DetectorMeta meta, DetectionData data, TrainingRun.State state, String metricName) {
        MultiLayerNetwork bestNet = Loop.restore(out.resolve("model.zip"), false);
        Map<String, List<Box>> valTruth = truth(data.val(), data.boxes());
        double threshold = bestThreshold(valTruth, detect(bestNet, meta, data.val(), o.batch(), AP_FLOOR));
        DetectorMeta tuned = meta.withThreshold(threshold);
        Loop.write(out.resolve("model.json"), tuned::write);
        listener.message(String.format(Locale.ROOT, "threshold %.3f (best F1 on the validation pictures)", threshold));
        Map<String, Double> validation = figures(valTruth, detect(bestNet, tuned, data.val(), o.batch(), AP_FLOOR), threshold);
        validation.put("loss", state.bestValidation.getOrDefault("loss", Double.NaN));
        Map<String, Double> test = data.test().isEmpty() ? Map.of()
                : figures(truth(data.test(), data.boxes()), detect(bestNet, tuned, data.test(), o.batch(), AP_FLOOR), threshold);
        ObjectNode m = JSON.createObjectNode();
        m.put("task", DetectorMeta.TASK);
        m.put("dataset", dataset.toAbsolutePath().toString());
        ArrayNode extra = m.putArray("extra");
        o.extra().forEach(p -> extra.add(p.toAbsolutePath().toString()));
        ObjectNode sp = m.putObject("split");
        sp.put("from", data.splitFrom());
        sp.put("seed", o.split().seed());
        sp.put("train", data.train().size());
        sp.put("validation", data.val().size());
        sp.put("test", data.test().size());
        sp.put("files", SPLIT_FILE);
        m.put("metric", metricName);
        m.put("best_epoch", state.bestEpoch);
        m.put("epochs", state.epoch);
        m.put("threshold", threshold);
        m.put("head", meta.head());
        m.put("ema", o.recipe().ema());
        if (!meta.centred()) {
            m.put("anchors", meta.anchorList());
        }
        m.set("validation", JSON.valueToTree(validation));
        m.set("test", JSON.valueToTree(test));
        Path metrics = out.resolve("metrics.json");
        Loop.write(metrics, s -> JSON.writerWithDefaultPrettyPrinter().writeValue(s, m));
        return new TrainResult(out.resolve("model.zip"), metrics, validation, test, state.bestEpoch, state.epoch);
    }

    /** The split, recorded before the first epoch: which pictures were held back for validation and test. */
    private void writeSplit(DetectionData data) {
        ObjectNode n = JSON.createObjectNode();
        n.put("task", DetectorMeta.TASK);
        n.put("dataset", dataset.toAbsolutePath().toString());
        n.put("from", data.splitFrom());
        n.put("seed", o.split().seed());
        n.put("val", o.split().val());
        n.put("test", o.split().test());
        ArrayNode v = n.putArray("val_files"), t = n.putArray("test_files");
        data.val().forEach(s -> v.add(s.id()));
        data.test().forEach(s -> t.add(s.id()));
        Loop.write(out.resolve(SPLIT_FILE), s -> JSON.writerWithDefaultPrettyPrinter().writeValue(s, n));
    }

    /** A resumed run must hold back what it held back before, or its test figures would be of trained pictures. */
    private void checkSameSplit(DetectionData data) {
        Path file = out.resolve(SPLIT_FILE);
        try {
            var n = JSON.readTree(file.toFile());
            List<String> test = new ArrayList<>();
            n.path("test_files").forEach(f -> test.add(f.asText()));
            List<String> now = data.test().stream().map(Sample::id).toList();
            if (!test.equals(now)) {
                throw new KonomiException(out + ": was trained on another split (" + n.path("from").asText()
                        + "); resuming would train on its test pictures: give the same dataset and --seed/--val/--test, or --fresh");
            }
        } catch (IOException e) {
            throw new KonomiException(file + ": unreadable recorded split: " + e.getMessage(), e);
        }
    }

    private void writeCurve(TrainingRun.State state) {
        Loop.write(out.resolve("train.csv"), s -> {
            CSVPrinter p = new CSVPrinter(new OutputStreamWriter(s, StandardCharsets.UTF_8), CSVFormat.DEFAULT.builder()
                    .setRecordSeparator('\n').setHeader("epoch", "train_loss", "val_loss", "val_ap50", "val_recall", "lr", "images_per_s", "seconds")
                    .build());
            for (double[] r : state.history) {
                p.printRecord((int) r[0], f("%.5f", r[1]), f("%.5f", r[2]), f("%.5f", r[3]), f("%.5f", r[4]), f("%.6g", r[5]), f("%.1f", r[6]),
                        f("%.1f", r[7]));
            }
            p.flush();
        });
    }

    private static String f(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
