package konomi.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.api.train.TrainRequest;

/** {@code eval:run}: a trained model measured on a dataset, as eval.json and eval.html. */
@Component(service = EvalCommands.class, property = {"osgi.command.scope=eval", "osgi.command.function=run"})
public class EvalCommands {
    @Reference
    private TrainCommands train;

    @Descriptor("evaluate a train:run model on a dataset (default: the held-back test part of the same seeded split): "
            + "metrics, learning curves, confusion matrix and per-class precision/recall or a calibration scatter, top losses")
    public void run(
            @Descriptor("test (the split training held back) or all") @Parameter(names = {"--split"}, absentValue = "test") String split,
            @Descriptor("split seed (as in training)") @Parameter(names = {"--seed"}, absentValue = "") String seed,
            @Descriptor("validation fraction (as in training)") @Parameter(names = {"--val"}, absentValue = "") String val,
            @Descriptor("test fraction (as in training)") @Parameter(names = {"--test"}, absentValue = "") String test,
            @Descriptor("groups CSV (as in training)") @Parameter(names = {"--groups"}, absentValue = "") String groups,
            @Descriptor("images shown among the top losses") @Parameter(names = {"--top"}, absentValue = "12") String top,
            @Descriptor("report folder (default: <model>/eval)") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("train:run output folder (model.zip, model.json, train.csv)") String model,
            @Descriptor("dataset folder or CSV") String dataset) {
        Map<String, String> options = TrainCommands.options("model", model, "split", split, "seed", seed, "val", val, "test", test,
                "groups", groups, "top", top);
        Path dir = out.isEmpty() ? (Files.isDirectory(Path.of(model)) ? Path.of(model) : Path.of(model).toAbsolutePath().getParent()).resolve("eval")
                : Path.of(out);
        Map<String, Double> m = train.trainer().evaluate(new TrainRequest(Path.of(dataset), dir, options), TrainCommands.messages());
        Table t = new Table("metric", "value");
        m.forEach((k, v) -> t.row(k, String.format(Locale.ROOT, "%.4f", v)));
        t.print(System.out);
        System.out.println("wrote " + dir.toAbsolutePath() + "/{eval.json,eval.html}");
    }
}
