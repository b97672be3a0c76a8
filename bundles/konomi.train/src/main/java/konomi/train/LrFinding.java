package konomi.train;

import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import konomi.api.train.LrFindOptions;
import konomi.api.train.LrFindResult;
import konomi.api.train.LrFindResult.Row;
import konomi.api.train.SplitSpec;
import konomi.api.train.TrainListener;
import konomi.api.train.TrainOptions;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;
import konomi.nn.Tensors;

/**
 * The learning-rate range test on the training part of the split: a fresh network, one batch per step while the
 * rate grows exponentially from min to max; stops once the smoothed loss exceeds four times its lowest.
 */
final class LrFinding {
    private final Path dataset;
    private final LrFindOptions lf;
    private final TrainListener listener;

    LrFinding(Path dataset, LrFindOptions options, TrainListener listener) {
        this.dataset = dataset;
        this.lf = options;
        this.listener = listener;
    }

    LrFindResult run() {
        TrainOptions o = lf.training(); // the network's settings; the rates are the test's own
        SplitSpec spec = o.split();
        Dataset data = Dataset.read(dataset, spec.groups());
        boolean classify = data.task().equals("classification");
        double[] range = classify ? null : new double[] {Loop.min(data.samples()), Loop.max(data.samples())};
        ModelMeta meta = new ModelMeta(data.task(), data.labels(), o.size(), ModelMeta.RGB01, range);
        Split split = Split.of(data.samples(), spec.val(), spec.test(), spec.seed());
        ImageCache train = new ImageCache(split.train(), Tensors.cropFrom(o.size()), o.workers());
        train.skipped.forEach(s -> listener.message("skipped " + s));
        Map<Integer, Double> lrs = new LinkedHashMap<>();
        for (int i = 0; i < lf.steps(); i++) {
            lrs.put(i, lf.minLr() * Math.pow(lf.maxLr() / lf.minLr(), (double) i / (lf.steps() - 1)));
        }
        MultiLayerNetwork net = Nets.forTraining(Nets.faceNet(meta, spec.seed(), new MapSchedule(ScheduleType.ITERATION, lrs), o.weightDecay()));
        Batches batches = new Batches(train, o.size(), classify ? meta.labels().size() : 0, net);
        SplittableRandom rnd = new SplittableRandom(spec.seed());
        int[] order = Batches.shuffled(train.size(), rnd.split());
        List<Row> rows = new ArrayList<>();
        double smooth = 0, best = Double.MAX_VALUE;
        boolean diverged = false;
        for (int i = 0, from = 0; i < lf.steps(); i++, from += o.batch()) {
            if (from + o.batch() > train.size()) {
                from = 0;
                order = Batches.shuffled(train.size(), rnd.split());
            }
            net.fit(batches.batch(order, from, Math.min(train.size(), from + o.batch()), o.augment(), rnd));
            double loss = net.score();
            smooth = 0.9 * smooth + 0.1 * loss; // fastai-style: exponential average from 0, bias-corrected
            double corrected = smooth / (1 - Math.pow(0.9, i + 1));
            rows.add(new Row(lrs.get(i), loss, corrected));
            best = Math.min(best, corrected);
            if (i > 5 && (corrected > 4 * best || Double.isNaN(loss))) {
                listener.message(String.format(Locale.ROOT, "stopped at lr %.3g: the loss diverged", lrs.get(i)));
                diverged = true;
                break;
            }
        }
        Path csv = lf.output() == null ? null : writeCsv(lf.output().resolve("lr-find.csv"), rows);
        return new LrFindResult(rows, rows.get(LrCurve.steepest(rows)).learningRate(), rows.get(LrCurve.lowest(rows)).learningRate(), diverged,
                LrCurve.plot(rows, lf.plotWidth(), lf.plotHeight()), csv);
    }

    static Path writeCsv(Path file, List<Row> rows) {
        Loop.write(file, s -> {
            CSVPrinter p = new CSVPrinter(new OutputStreamWriter(s, StandardCharsets.UTF_8),
                    CSVFormat.DEFAULT.builder().setRecordSeparator('\n').setHeader("lr", "loss", "smoothed_loss").build());
            for (Row r : rows) {
                p.printRecord(String.format(Locale.ROOT, "%.6g", r.learningRate()), String.format(Locale.ROOT, "%.5f", r.loss()),
                        String.format(Locale.ROOT, "%.5f", r.smoothedLoss()));
            }
            p.flush();
        });
        return file.toAbsolutePath();
    }
}
