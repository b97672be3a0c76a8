package konomi.shell;

import java.nio.file.Path;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.KonomiException;
import konomi.api.train.Recipe;
import konomi.api.train.TrainOptions;
import konomi.api.train.TrainResult;
import konomi.api.train.Trainer;

/** {@code train:run}: trains a scorer network and prints one line per epoch. */
@Component(service = TrainRunCommand.class, property = {"osgi.command.scope=train", "osgi.command.function=run"})
public class TrainRunCommand {
    /** Optional, so that the command stays listed and says what is missing. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Trainer trainer;

    @Descriptor("train a face scorer (a classifier from a folder of class folders, or a regressor from a CSV file,score) or, with --task detect, a face detector; "
            + "resumes from --out's last checkpoint; records the split in split.json; then model:package --name <n> <out> makes it a model bundle")
    public void run(
            @Descriptor("output folder (checkpoints, model.zip, model.json, train.csv, metrics.json, split.json)")
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
            @Descriptor("augmentations to use: crop, flip, jitter, zoom, grey (comma separated; all = the first three), all or none") @Parameter(names = {"--augment"}, absentValue = "") String augment,
            @Descriptor("also keep the weights of every Nth epoch (epoch-NNN.zip); the best is always model.zip")
            @Parameter(names = {"--checkpoint-every"}, absentValue = "") String checkpointEvery,
            @Descriptor("detect: train a face detector on labelled boxes (boxes.csv or labels/*.txt; split.csv parts kept)")
            @Parameter(names = {"--task"}, absentValue = "") String task,
            @Descriptor("more datasets used for training only, comma separated (detector: more boxes, composites)")
            @Parameter(names = {"--extra"}, absentValue = "") String extra,
            @Descriptor("detector head: centre (heatmap of face centres, the default) or yolo2 (anchors)")
            @Parameter(names = {"--head"}, absentValue = "") String head,
            @Descriptor("scorer network: face (default), wide (1.5x the widths, 4.4 MB), deep (two convs per stage, 4.6 MB), res (deep with residual shortcuts, 4.5 MB), se (res with squeeze-excitation in every block) or inverted (MobileNetV2's inverted residual blocks)") @Parameter(names = {"--net"}, absentValue = "") String net,
            @Descriptor("label smoothing for classifiers, e.g. 0.1 (default 0)") @Parameter(names = {"--smoothing"}, absentValue = "") String smoothing,
            @Descriptor("share of batches mixed by CutMix, e.g. 0.5 (default 0)") @Parameter(names = {"--cutmix"}, absentValue = "") String cutmix,
            @Descriptor("decay of a moving average of the weights, validated and kept, e.g. 0.999 (default 0: off; scorers and detectors)")
            @Parameter(names = {"--ema"}, absentValue = "") String ema,
            @Descriptor("stochastic weight averaging: the last N epochs run at a constant rate and their weights are averaged, "
                    + "validated and kept (the schedule ends N epochs earlier; default 0: off)")
            @Parameter(names = {"--swa"}, absentValue = "") String swa,
            @Descriptor("with --swa: the constant learning rate of the averaged epochs (default a quarter of --lr)")
            @Parameter(names = {"--swa-lr"}, absentValue = "") String swaLr,
            @Descriptor("test-time augmentation: flip (validate, test and score on the face and its mirror image) or none")
            @Parameter(names = {"--tta"}, absentValue = "") String tta,
            @Descriptor("regressors: weight of a pairwise ranking loss (RankNet) beside the squared error, e.g. 1 (default 0)")
            @Parameter(names = {"--rank"}, absentValue = "") String rank,
            @Descriptor("regressors with --init <classifier>: predict from its label probabilities (classifier frozen, a weight per label)")
            @Parameter(names = {"--via-labels"}, absentValue = "false", presentValue = "true") boolean viaLabels,
            @Descriptor("classifiers: distil from this trained classifier of the same labels (installed scorer name, model.zip or train:run folder); a comma list averages several")
            @Parameter(names = {"--teacher"}, absentValue = "") String teacher,
            @Descriptor("with --teacher: the share of each target that is the teacher's probabilities (default 0.5)")
            @Parameter(names = {"--distill"}, absentValue = "") String distill,
            @Descriptor("with --teacher: temperature softening the teacher's probabilities (default 1)")
            @Parameter(names = {"--temperature"}, absentValue = "") String temperature,
            @Descriptor("scorers: train on the training and validation parts together and keep the last epoch (a recipe chosen before on validation); the test part stays unseen")
            @Parameter(names = {"--final"}, absentValue = "false", presentValue = "true") boolean finalFit,
            @Descriptor("start over instead of resuming") @Parameter(names = {"--fresh"}, absentValue = "false", presentValue = "true") boolean fresh,
            @Descriptor("dataset folder or CSV") String dataset) {
        if (out.isEmpty()) {
            throw new IllegalArgumentException("train:run needs --out <folder>");
        }
        Trainer t = trainer;
        if (t == null) {
            throw new KonomiException("no trainer installed (bundle konomi.train)");
        }
        TrainOptions.Builder b = TrainArgs.recipe(task.equals(TrainOptions.DETECT) ? TrainOptions.builder().forDetection() : TrainOptions.builder(),
                epochs, batch, size, lr, schedule, weightDecay, metric, augment, noAugment);
        TrainArgs.given(task, b::task);
        TrainArgs.given(head, b::head);
        TrainArgs.given(extra, v -> b.extra(java.util.Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).map(Path::of).toList()));
        TrainArgs.given(patience, v -> b.patience(TrainArgs.integer("--patience", v)));
        TrainArgs.given(init, b::init);
        TrainArgs.given(checkpointEvery, v -> b.checkpointEvery(TrainArgs.integer("--checkpoint-every", v)));
        b.freeze(freeze).finalFit(finalFit).resume(!fresh).split(TrainArgs.split(seed, val, test, groups));
        Recipe levers = TrainArgs.teacher(TrainArgs.levers(net, smoothing, cutmix, ema, tta, rank).withViaLabels(viaLabels), teacher, distill, temperature);
        b.recipe(TrainArgs.swa(levers, swa, swaLr, b.build().learningRate()));
        TrainResult r = t.train(Path.of(dataset), Path.of(out), b.build(), TrainArgs.printer(e -> System.out.printf(Locale.ROOT,
                "epoch %3d/%d  loss %.4f  val_loss %.4f%s  lr %.2g  %.0f img/s  %s  ETA %s%s%n",
                e.epoch(), e.epochs(), e.trainLoss(), e.valLoss(),
                e.metricName().equals("loss") ? "" : String.format(Locale.ROOT, "  val_%s %.4f", e.metricName(), e.metric()), e.learningRate(),
                e.imagesPerSecond(), TrainArgs.duration(e.seconds()), TrainArgs.duration(e.etaSeconds()), e.best() ? "  *best" : "")));
        Table table = new Table("metric", "validation", "test");
        r.validation().forEach((k, v) -> table.row(k, TrainArgs.fmt(v), r.test().containsKey(k) ? TrainArgs.fmt(r.test().get(k)) : ""));
        table.print(System.out);
        System.out.println("best epoch " + r.bestEpoch() + " of " + r.epochs() + "; model " + r.model() + ", metrics " + r.metrics());
    }
}
