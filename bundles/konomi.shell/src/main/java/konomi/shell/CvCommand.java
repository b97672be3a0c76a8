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
import konomi.api.train.CrossValidator;
import konomi.api.train.CvOptions;
import konomi.api.train.CvResult;
import konomi.api.train.TrainOptions;

/** {@code train:cv}: K-fold cross-validation, printed as a table of folds by epoch with mean and spread. */
@Component(service = CvCommand.class, property = {"osgi.command.scope=train", "osgi.command.function=cv"})
public class CvCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CrossValidator validator;

    @Descriptor("K-fold cross-validation: K fresh networks, each measured on the fold it did not see, after every epoch; "
            + "prints the metric per fold and epoch with mean and spread (folds stratified by class, or by score for a regressor; --groups kept whole)")
    public void cv(
            @Descriptor("number of folds") @Parameter(names = {"-k", "--folds"}, absentValue = "5") String folds,
            @Descriptor("also write the table as CSV (cv.csv) into this folder") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
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
            @Descriptor("dataset folder or CSV") String dataset) {
        CrossValidator v = validator;
        if (v == null) {
            throw new KonomiException("no cross-validator installed (bundle konomi.train)");
        }
        int foldCount = TrainArgs.integer("--folds", folds);
        TrainOptions training = TrainArgs.recipe(epochs, batch, size, lr, schedule, "", metric, "", noAugment)
                .split(TrainArgs.split(seed, "", "", groups)).build();
        CvOptions options = new CvOptions(foldCount, training, TrainArgs.path(out));
        CvResult r = v.crossValidate(Path.of(dataset), options, TrainArgs.printer(e -> System.out.printf(Locale.ROOT,
                "epoch %3d/%d  %s %.4f  loss %.4f  %.0f img/s  ETA %s%n", e.epoch(), e.epochs(), e.metricName(), e.metric(), e.trainLoss(),
                e.imagesPerSecond(), TrainArgs.duration(e.etaSeconds()))));
        int k = r.folds().size();
        String[] head = new String[k + 3];
        head[0] = "epoch";
        for (CvResult.Fold f : r.folds()) {
            head[f.fold()] = "fold " + f.fold();
        }
        head[k + 1] = "mean";
        head[k + 2] = "sd";
        Table table = new Table(head);
        for (CvResult.EpochStats e : r.epochs()) {
            Object[] row = new Object[k + 3];
            row[0] = e.epoch();
            for (CvResult.Fold f : r.folds()) {
                row[f.fold()] = TrainArgs.fmt(f.metric().get(e.epoch() - 1));
            }
            row[k + 1] = TrainArgs.fmt(e.mean());
            row[k + 2] = TrainArgs.fmt(e.sd());
            table.row(row);
        }
        table.print(System.out);
        if (r.csv() != null) {
            System.out.println("wrote " + r.csv());
        }
    }
}
