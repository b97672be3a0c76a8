package konomi.shell;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.util.AtomicFile;
import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelRegistry;
import konomi.api.model.ModelStatus;
import konomi.api.train.EpochReport;
import konomi.api.train.TrainListener;
import konomi.api.train.TrainRequest;
import konomi.api.train.TrainResult;
import konomi.api.train.Trainer;

/** {@code train:run}: trains a scorer network and prints one line per epoch. */
@Component(service = TrainCommands.class, property = {"osgi.command.scope=train", "osgi.command.function=run",
        "osgi.command.function=cv"})
public class TrainCommands {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Trainer> trainers;

    @Reference
    private ModelRegistry registry;

    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("train a face scorer: a classifier from a folder of class folders, or a regressor from a CSV file,score; "
            + "resumes from --out's last checkpoint; then model:package --name <n> <out> makes it a model bundle")
    public void run(
            @Descriptor("output folder (checkpoints, model.zip, model.json, train.csv, metrics.json)")
            @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("epochs") @Parameter(names = {"-e", "--epochs"}, absentValue = "") String epochs,
            @Descriptor("batch size") @Parameter(names = {"-b", "--batch"}, absentValue = "") String batch,
            @Descriptor("input size in pixels (square)") @Parameter(names = {"--size"}, absentValue = "") String size,
            @Descriptor("peak learning rate (Adam)") @Parameter(names = {"--lr"}, absentValue = "") String lr,
            @Descriptor("learning-rate schedule: cosine, onecycle, step, constant") @Parameter(names = {"--schedule"}, absentValue = "") String schedule,
            @Descriptor("L2 weight decay") @Parameter(names = {"--weight-decay"}, absentValue = "") String weightDecay,
            @Descriptor("split and initialisation seed") @Parameter(names = {"--seed"}, absentValue = "") String seed,
            @Descriptor("validation fraction (early stopping)") @Parameter(names = {"--val"}, absentValue = "") String val,
            @Descriptor("held-back test fraction (reported, never used for choices)") @Parameter(names = {"--test"}, absentValue = "") String test,
            @Descriptor("epochs without improvement before stopping") @Parameter(names = {"--patience"}, absentValue = "") String patience,
            @Descriptor("validation metric to watch: accuracy, top3, loss (classification); spearman, mae, rmse, loss (regression)")
            @Parameter(names = {"--metric"}, absentValue = "") String metric,
            @Descriptor("CSV with columns file and group: images of one group stay in one split") @Parameter(names = {"--groups"}, absentValue = "") String groups,
            @Descriptor("start from this trained network, its output layer replaced: an installed scorer model's name "
                    + "(model:list), a model.zip or a train:run folder")
            @Parameter(names = {"--init"}, absentValue = "") String init,
            @Descriptor("with --init: train only the new output layer") @Parameter(names = {"--freeze"}, absentValue = "false", presentValue = "true") boolean freeze,
            @Descriptor("no random crop/flip/colour jitter") @Parameter(names = {"--no-augment"}, absentValue = "false", presentValue = "true") boolean noAugment,
            @Descriptor("augmentations to use: crop, flip, jitter (comma separated), all or none") @Parameter(names = {"--augment"}, absentValue = "") String augment,
            @Descriptor("also keep the weights of every Nth epoch (epoch-NNN.zip); the best is always model.zip")
            @Parameter(names = {"--checkpoint-every"}, absentValue = "") String checkpointEvery,
            @Descriptor("start over instead of resuming") @Parameter(names = {"--fresh"}, absentValue = "false", presentValue = "true") boolean fresh,
            @Descriptor("dataset folder or CSV") String dataset) throws IOException {
        if (out.isEmpty()) {
            throw new IllegalArgumentException("train:run needs --out <folder>");
        }
        Path initFile = installedNetwork(init);
        Map<String, String> options = options("epochs", epochs, "batch", batch, "size", size, "lr", lr, "schedule", schedule,
                "weightDecay", weightDecay, "seed", seed, "val", val, "test", test, "patience", patience, "metric", metric,
                "groups", groups, "init", initFile != null ? initFile.toString() : init, "freeze", freeze ? "true" : "",
                "augment", noAugment ? "false" : augment, "resume", fresh ? "false" : "", "checkpointEvery", checkpointEvery);
        TrainResult r;
        try {
            r = train(new TrainRequest(Path.of(dataset), Path.of(out), options));
        } finally {
            if (initFile != null) {
                Files.deleteIfExists(initFile);
            }
        }
        Table table = new Table("metric", "validation", "test");
        r.validation().forEach((k, v) -> table.row(k, fmt(v), r.test().containsKey(k) ? fmt(r.test().get(k)) : ""));
        table.print(System.out);
        System.out.println("best epoch " + r.bestEpoch() + " of " + r.epochs() + "; model " + r.model() + ", metrics " + r.metrics());
    }

    private TrainResult train(TrainRequest request) {
        return trainer().train(request, new TrainListener() {
            @Override
            public void epoch(EpochReport e) {
                System.out.printf(Locale.ROOT, "epoch %3d/%d  loss %.4f  val_loss %.4f  val_%s %.4f  lr %.2g  %.0f img/s  %s  ETA %s%s%n",
                        e.epoch(), e.epochs(), e.trainLoss(), e.valLoss(), e.metricName(), e.metric(), e.learningRate(),
                        e.imagesPerSecond(), duration(e.seconds()), duration(e.etaSeconds()), e.best() ? "  *best" : "");
            }

            @Override
            public void message(String text) {
                System.out.println(text);
            }
        });
    }

    /**
     * {@code --init} by name: the network of the newest installed scorer model of that name, copied out of its
     * bundle to a temporary file (the trainer reads files). Null when {@code init} is empty or an existing path.
     */
    private Path installedNetwork(String init) throws IOException {
        if (init.isEmpty() || Files.exists(Path.of(init))) {
            return null;
        }
        ModelStatus best = null;
        for (ModelStatus m : registry.models()) {
            ModelDescriptor d = m.descriptor();
            if (d != null && d.kind().equals("scorer") && d.name().equals(init) && m.state() == ModelStatus.State.ACTIVE
                    && (best == null || Version.parseVersion(d.version()).compareTo(Version.parseVersion(best.descriptor().version())) > 0)) {
                best = m;
            }
        }
        Bundle bundle = best == null ? null : context.getBundle(best.bundleId());
        URL entry = bundle == null ? null : bundle.getEntry(best.descriptor().file());
        if (entry == null) {
            throw new KonomiException("--init " + init + ": no such file, and no installed scorer model of that name (model:list shows them)");
        }
        Path tmp = Files.createTempFile("konomi-init-" + init + "-", ".zip");
        try (InputStream in = entry.openStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("--init " + init + ": the network of " + best.descriptor().bundle() + " " + best.descriptor().version());
        return tmp;
    }

    @Descriptor("K-fold cross-validation: K fresh networks, each measured on the fold it did not see, after every epoch; "
            + "prints the metric per fold and epoch with mean and spread (folds stratified by class, or by score for a regressor; --groups kept whole)")
    public void cv(
            @Descriptor("number of folds") @Parameter(names = {"-k", "--folds"}, absentValue = "5") int folds,
            @Descriptor("also write the table as CSV") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("epochs") @Parameter(names = {"-e", "--epochs"}, absentValue = "") String epochs,
            @Descriptor("batch size") @Parameter(names = {"-b", "--batch"}, absentValue = "") String batch,
            @Descriptor("input size in pixels (square)") @Parameter(names = {"--size"}, absentValue = "") String size,
            @Descriptor("peak learning rate (Adam)") @Parameter(names = {"--lr"}, absentValue = "") String lr,
            @Descriptor("learning-rate schedule: cosine, onecycle, step, constant") @Parameter(names = {"--schedule"}, absentValue = "") String schedule,
            @Descriptor("fold and initialisation seed") @Parameter(names = {"--seed"}, absentValue = "") String seed,
            @Descriptor("metric: accuracy, top3, loss (classification); spearman, mae, rmse, loss (regression)")
            @Parameter(names = {"--metric"}, absentValue = "") String metric,
            @Descriptor("CSV with columns file and group") @Parameter(names = {"--groups"}, absentValue = "") String groups,
            @Descriptor("no random crop/flip/colour jitter") @Parameter(names = {"--no-augment"}, absentValue = "false", presentValue = "true") boolean noAugment,
            @Descriptor("dataset folder or CSV") String dataset) throws java.io.IOException {
        Map<String, String> options = options("epochs", epochs, "batch", batch, "size", size, "lr", lr, "schedule", schedule,
                "seed", seed, "metric", metric, "groups", groups, "augment", noAugment ? "false" : "");
        double[][] r = trainer().crossValidate(new TrainRequest(Path.of(dataset), Path.of(out.isEmpty() ? "." : out), options), folds,
                new TrainListener() {
                    @Override
                    public void epoch(EpochReport e) {
                        System.out.printf(Locale.ROOT, "epoch %3d/%d  %s %.4f  loss %.4f  %.0f img/s  ETA %s%n", e.epoch(), e.epochs(),
                                e.metricName(), e.metric(), e.trainLoss(), e.imagesPerSecond(), duration(e.etaSeconds()));
                    }

                    @Override
                    public void message(String text) {
                        System.out.println(text);
                    }
                });
        String[] head = new String[folds + 3];
        head[0] = "epoch";
        for (int k = 0; k < folds; k++) {
            head[k + 1] = "fold " + (k + 1);
        }
        head[folds + 1] = "mean";
        head[folds + 2] = "sd";
        Table table = new Table(head);
        StringBuilder csv = new StringBuilder(String.join(",", head).replace("fold ", "fold") + "\n");
        for (int e = 0; e < r[0].length; e++) {
            Object[] row = new Object[folds + 3];
            row[0] = e + 1;
            double mean = 0, sq = 0;
            for (int k = 0; k < folds; k++) {
                row[k + 1] = fmt(r[k][e]);
                mean += r[k][e] / folds;
            }
            for (int k = 0; k < folds; k++) {
                sq += (r[k][e] - mean) * (r[k][e] - mean);
            }
            row[folds + 1] = fmt(mean);
            row[folds + 2] = fmt(Math.sqrt(sq / Math.max(1, folds - 1)));
            table.row(row);
            csv.append(String.join(",", java.util.Arrays.stream(row).map(String::valueOf).toList())).append("\n");
        }
        table.print(System.out);
        if (!out.isEmpty()) {
            try (AtomicFile f = new AtomicFile(Path.of(out).resolve("cv.csv"), true)) {
                f.writer().write(csv.toString());
                f.commit();
            }
            System.out.println("wrote " + Path.of(out).resolve("cv.csv").toAbsolutePath());
        }
    }

    /** A text plot of smoothed loss (y) against learning rate on a log scale (x). */
    static String plot(double[][] rows, int width, int height) {
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (double[] r : rows) {
            lo = Math.min(lo, r[2]);
            hi = Math.max(hi, r[2]);
        }
        hi = Math.min(hi, lo + 3 * (rows[0][2] - lo + 1e-9)); // keep the divergence from flattening the curve
        char[][] grid = new char[height][width];
        for (char[] line : grid) {
            java.util.Arrays.fill(line, ' ');
        }
        double x0 = Math.log10(rows[0][0]), x1 = Math.log10(rows[rows.length - 1][0]);
        for (double[] r : rows) {
            int x = (int) Math.round((Math.log10(r[0]) - x0) / Math.max(1e-9, x1 - x0) * (width - 1));
            int y = (int) Math.round((Math.min(r[2], hi) - lo) / Math.max(1e-9, hi - lo) * (height - 1));
            grid[height - 1 - y][x] = '*';
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "smoothed loss %.3f .. %.3f%n", lo, hi));
        for (char[] line : grid) {
            sb.append("  |").append(new String(line).stripTrailing()).append('\n');
        }
        sb.append("  +").append("-".repeat(width)).append('\n');
        sb.append(String.format(Locale.ROOT, "   lr %.0e%s%.0e (log scale)%n", rows[0][0], " ".repeat(Math.max(1, width - 22)), rows[rows.length - 1][0]));
        return sb.toString();
    }

    /** Prints the trainer's messages; epochs are reported by the caller, or not at all. */
    static TrainListener messages() {
        return new TrainListener() {
            @Override
            public void epoch(EpochReport e) {
            }

            @Override
            public void message(String text) {
                System.out.println(text);
            }
        };
    }

    Trainer trainer() {
        List<Trainer> t = trainers;
        if (t == null || t.isEmpty()) {
            throw new KonomiException("no trainer installed (bundle konomi.train)");
        }
        return t.get(0);
    }

    /** Trainer options from key/value pairs; empty values (options not given) are left to the trainer's defaults. */
    static Map<String, String> options(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (!keyValues[i + 1].isEmpty()) {
                m.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return m;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
