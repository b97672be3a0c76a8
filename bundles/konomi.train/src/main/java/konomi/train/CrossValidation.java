package konomi.train;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import konomi.api.train.CvOptions;
import konomi.api.train.CvResult;
import konomi.api.train.EpochReport;
import konomi.api.train.TrainListener;
import konomi.api.train.TrainOptions;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;
import konomi.nn.Tensors;

/** K folds, each a fresh network trained on the others and measured on its own after every epoch. */
final class CrossValidation {
    private final Path dataset;
    private final CvOptions cv;
    private final TrainListener listener;

    CrossValidation(Path dataset, CvOptions options, TrainListener listener) {
        this.dataset = dataset;
        this.cv = options;
        this.listener = listener;
    }

    CvResult run() {
        TrainOptions o = cv.training(); // how each fold trains; its split's seed makes the folds
        Dataset data = Dataset.read(dataset, o.split().groups());
        boolean classify = data.task().equals("classification");
        String metricName = TrainingRun.metricName(o.metric(), classify);
        double[] range = classify ? null : new double[] {Loop.min(data.samples()), Loop.max(data.samples())};
        ModelMeta meta = new ModelMeta(data.task(), data.labels(), o.size(), ModelMeta.RGB01, range);
        int classes = classify ? meta.labels().size() : 0;
        ImageCache all = new ImageCache(data.samples(), Tensors.cropFrom(o.size()), o.workers());
        all.skipped.forEach(s -> listener.message("skipped " + s));
        long seed = o.split().seed();
        Map<String, Integer> foldOf = Split.folds(all.samples, cv.folds(), seed, classify);
        List<CvResult.Fold> folds = new ArrayList<>();
        for (int k = 0; k < cv.folds(); k++) {
            int fold = k;
            ImageCache train = all.subset(s -> foldOf.get(s.group()) != fold), held = all.subset(s -> foldOf.get(s.group()) == fold);
            listener.message(String.format(Locale.ROOT, "fold %d/%d: train %d, held out %d", k + 1, cv.folds(), train.size(), held.size()));
            MultiLayerNetwork net = Nets.forTraining(Nets.faceNet(meta, seed + k, Schedules.perEpoch(o), o.weightDecay()));
            Batches tb = new Batches(train, o.size(), classes, net), hb = new Batches(held, o.size(), classes, net);
            List<Double> metric = new ArrayList<>();
            for (int epoch = 1; epoch <= o.epochs(); epoch++) {
                long e0 = System.nanoTime();
                double loss = Loop.fitEpoch(net, tb, epoch, o);
                double trainSeconds = (System.nanoTime() - e0) / 1e9;
                Map<String, Double> v = Loop.measure(net, hb, classes, null, o.batch());
                double m = v.getOrDefault(metricName, Double.NaN);
                metric.add(m);
                double seconds = (System.nanoTime() - e0) / 1e9;
                listener.epoch(new EpochReport(epoch, o.epochs(), loss, v.get("loss"), metricName + " fold " + (k + 1), m,
                        Schedules.learningRate(o, epoch - 1), train.size() / trainSeconds, seconds,
                        seconds * ((long) (cv.folds() - k - 1) * o.epochs() + o.epochs() - epoch), false));
            }
            folds.add(new CvResult.Fold(k + 1, train.size(), held.size(), metric));
        }
        List<CvResult.EpochStats> stats = CvStats.perEpoch(folds);
        Path csv = cv.output() == null ? null : writeCsv(cv.output().resolve("cv.csv"), folds, stats);
        return new CvResult(metricName, folds, stats, csv);
    }

    /** {@code epoch,fold1..foldK,mean,sd}, one row per epoch, written atomically. */
    static Path writeCsv(Path file, List<CvResult.Fold> folds, List<CvResult.EpochStats> stats) {
        List<String> head = new ArrayList<>(List.of("epoch"));
        folds.forEach(f -> head.add("fold" + f.fold()));
        head.add("mean");
        head.add("sd");
        Loop.write(file, s -> {
            Writer w = new OutputStreamWriter(s, StandardCharsets.UTF_8);
            CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').setHeader(head.toArray(String[]::new)).build());
            for (CvResult.EpochStats e : stats) {
                List<Object> row = new ArrayList<>(List.of(e.epoch()));
                folds.forEach(f -> row.add(fmt(f.metric().get(e.epoch() - 1))));
                row.add(fmt(e.mean()));
                row.add(fmt(e.sd()));
                p.printRecord(row);
            }
            p.flush();
        });
        return file.toAbsolutePath();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
