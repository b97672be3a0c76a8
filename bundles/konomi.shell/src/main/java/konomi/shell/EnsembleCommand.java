package konomi.shell;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.KonomiException;
import konomi.api.train.EnsembleResult;
import konomi.api.train.Ensembler;

/** {@code train:ensemble}: classifier runs packed as one network (the mean of their logits or probabilities), measured against each member. */
@Component(service = EnsembleCommand.class, property = {"osgi.command.scope=train", "osgi.command.function=ensemble"})
public class EnsembleCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Ensembler ensembler;

    @Descriptor("pack classifier runs into one network that outputs the mean of their predictions (a small ensemble that ships "
            + "and scores as one model: model:package takes the folder), and measure it and each member on the validation and test "
            + "parts they all recorded; calibrate the members first (train:calibrate) if they are to be; one ensemble folder alone is "
            + "packed again with the --mean and --half given")
    public void ensemble(
            @Descriptor("folder to write (model.zip, model.json, split.json, ensemble.json; an ensemble's folder is written again)") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("store the weights at half precision: half the file, the same figures to a rounding")
            @Parameter(names = {"--half"}, absentValue = "false", presentValue = "true") boolean half,
            @Descriptor("geometric: the mean of the members' logits, then a softmax (the default); arithmetic: the mean of their probabilities")
            @Parameter(names = {"--mean"}, absentValue = "geometric") String mean,
            @Descriptor("train:run folders of classifiers of the same labels and split, comma-separated") String runs,
            @Descriptor("the dataset they were trained on") String dataset) {
        Ensembler e = ensembler;
        if (e == null) {
            throw new KonomiException("no ensembler installed (bundle konomi.train)");
        }
        if (out.isEmpty()) {
            throw new KonomiException("train:ensemble: give --out, the folder to write");
        }
        Ensembler.Mean how = switch (mean) {
            case "geometric" -> Ensembler.Mean.GEOMETRIC;
            case "arithmetic" -> Ensembler.Mean.ARITHMETIC;
            default -> throw new KonomiException("train:ensemble: --mean is geometric or arithmetic, not " + mean);
        };
        List<Path> members = Arrays.stream(runs.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList();
        EnsembleResult r = e.pack(members, Path.of(dataset), Path.of(out), half, how, TrainArgs.messages());
        boolean test = !r.test().isEmpty();
        Table t = test ? new Table("network", "val top-1", "val top-3", "val loss", "test top-1", "test top-3", "test loss")
                : new Table("network", "val top-1", "val top-3", "val loss");
        for (int i = 0; i < r.names().size(); i++) {
            Map<String, Double> m = r.members().get(i);
            row(t, r.names().get(i), m.get("validation_accuracy"), m.get("validation_top3"), m.get("validation_loss"),
                    test ? m.get("test_accuracy") : null, test ? m.get("test_top3") : null, test ? m.get("test_loss") : null);
        }
        row(t, "ensemble (" + mean + ")", r.validation().get("accuracy"), r.validation().get("top3"), r.validation().get("loss"),
                r.test().get("accuracy"), r.test().get("top3"), r.test().get("loss"));
        t.print(System.out);
        System.out.printf(Locale.ROOT, "%d networks, %.0f validation and %.0f test images; wrote %s (%.2f MB%s), recorded %s%n", r.names().size(),
                r.validation().get("n"), test ? r.test().get("n") : 0.0, r.model(), r.bytes() / 1e6, half ? ", half precision" : "", r.json());
    }

    private static void row(Table t, String name, Double... figures) {
        Object[] cells = new Object[figures.length + 1]; // the table keeps as many as it has columns
        cells[0] = name;
        for (int i = 0; i < figures.length; i++) {
            cells[i + 1] = figures[i] == null ? null : String.format(Locale.ROOT, "%.4f", figures[i]);
        }
        t.row(cells);
    }
}
