package konomi.shell;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.KonomiException;
import konomi.api.train.PretrainOptions;
import konomi.api.train.PretrainResult;
import konomi.api.train.Pretrainer;

/** {@code train:ssl}: a base network pretrained without labels, for {@code train:run --init}. */
@Component(service = PretrainCommand.class, property = {"osgi.command.scope=train", "osgi.command.function=ssl"})
public class PretrainCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Pretrainer pretrainer;

    @Descriptor("pretrain a base network without labels (SimCLR: two augmented views of every face crop, each to be told from all others) "
            + "on every picture under the folders; writes model.zip for train:run --init, pretrain.json and a checkpoint; rerun to resume")
    public void ssl(
            @Descriptor("output folder") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("epochs (default 20)") @Parameter(names = {"-e", "--epochs"}, absentValue = "") String epochs,
            @Descriptor("pictures per step, each taken twice (default 64)") @Parameter(names = {"-b", "--batch"}, absentValue = "") String batch,
            @Descriptor("input size in pixels, that of the scorers to fine-tune (default 96)") @Parameter(names = {"--size"}, absentValue = "") String size,
            @Descriptor("peak learning rate, cosine schedule (default 0.001)") @Parameter(names = {"--lr"}, absentValue = "") String lr,
            @Descriptor("network: face, wide, deep (default), res, se or inverted, as train:run --net") @Parameter(names = {"--net"}, absentValue = "") String net,
            @Descriptor("initialisation and shuffling seed (default 42)") @Parameter(names = {"--seed"}, absentValue = "") String seed,
            @Descriptor("train:run folders (or their split.json), comma separated, whose validation and test pictures are left out")
            @Parameter(names = {"--exclude"}, absentValue = "") String exclude,
            @Descriptor("start over instead of resuming") @Parameter(names = {"--fresh"}, absentValue = "false", presentValue = "true") boolean fresh,
            @Descriptor("folders of face crops (searched recursively), or box datasets (boxes.csv: each box cropped as score:run crops faces)") String... folders) {
        if (out.isEmpty()) {
            throw new IllegalArgumentException("train:ssl needs --out <folder>");
        }
        Pretrainer p = pretrainer;
        if (p == null) {
            throw new KonomiException("no pretrainer installed (bundle konomi.train)");
        }
        PretrainOptions o = PretrainOptions.defaults().withResume(!fresh);
        if (!epochs.isEmpty()) {
            o = o.withEpochs(TrainArgs.integer("--epochs", epochs));
        }
        if (!batch.isEmpty()) {
            o = o.withBatch(TrainArgs.integer("--batch", batch));
        }
        if (!size.isEmpty()) {
            o = o.withSize(TrainArgs.integer("--size", size));
        }
        if (!lr.isEmpty()) {
            o = o.withLearningRate(TrainArgs.number("--lr", lr));
        }
        if (!net.isEmpty()) {
            o = o.withNet(net);
        }
        if (!seed.isEmpty()) {
            o = o.withSeed(TrainArgs.whole("--seed", seed));
        }
        if (!exclude.isEmpty()) {
            o = o.withExclude(Arrays.stream(exclude.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList());
        }
        List<Path> sources = Arrays.stream(folders).map(Path::of).toList();
        PretrainResult r = p.pretrain(sources, Path.of(out), o, TrainArgs.printer(e -> System.out.printf(Locale.ROOT,
                "epoch %3d/%d  loss %.4f  pair_accuracy %.4f  lr %.2g  %.0f img/s  %s  ETA %s%n",
                e.epoch(), e.epochs(), e.trainLoss(), e.metric(), e.learningRate(), e.imagesPerSecond(), TrainArgs.duration(e.seconds()),
                TrainArgs.duration(e.etaSeconds()))));
        System.out.printf(Locale.ROOT, "%d faces (%d held back), %d epochs: loss %.4f, pair accuracy %.4f; base network %s (train:run --init %s)%n",
                r.pictures(), r.excluded(), r.epochs(), r.loss(), r.pairAccuracy(), r.model(), Path.of(out));
    }
}
