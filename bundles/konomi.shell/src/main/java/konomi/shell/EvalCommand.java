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
import konomi.api.train.EvalOptions;
import konomi.api.train.EvalResult;
import konomi.api.train.Evaluator;

/** {@code eval:run}: a trained model measured on a dataset, as eval.json and eval.html. */
@Component(service = EvalCommand.class, property = {"osgi.command.scope=eval", "osgi.command.function=run"})
public class EvalCommand {
    /** Metrics that are counts, printed without decimals. */
    private static final java.util.Set<String> COUNTS = java.util.Set.of("pictures", "faces", "detections");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Evaluator evaluator;

    @Descriptor("evaluate a train:run model on a dataset (default: exactly the test files the run held back, from its split.json): "
            + "metrics, learning curves, confusion matrix and per-class precision/recall or a calibration scatter, top losses; "
            + "for a detector run AP@0.5/0.3, recall and precision at its threshold, the precision-recall curve (pr.png, pr.csv) "
            + "and pictures of the worst misses and false alarms (index.html)")
    public void run(
            @Descriptor("test (the part training held back) or all") @Parameter(names = {"--split"}, absentValue = "") String split,
            @Descriptor("split seed: draw the split again instead of the recorded one") @Parameter(names = {"--seed"}, absentValue = "") String seed,
            @Descriptor("validation fraction: draw the split again") @Parameter(names = {"--val"}, absentValue = "") String val,
            @Descriptor("test fraction: draw the split again") @Parameter(names = {"--test"}, absentValue = "") String test,
            @Descriptor("groups CSV: draw the split again") @Parameter(names = {"--groups"}, absentValue = "") String groups,
            @Descriptor("images shown among the top losses (detector: misses and false alarms drawn)") @Parameter(names = {"--top"}, absentValue = "") String top,
            @Descriptor("detector: also report recall and precision at this confidence threshold (and draw the pictures at it)")
            @Parameter(names = {"--threshold"}, absentValue = "") String threshold,
            @Descriptor("report folder (default: <model>/eval)") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("train:run output folder (model.zip, model.json, split.json, train.csv)") String model,
            @Descriptor("dataset folder or CSV") String dataset) {
        Evaluator e = evaluator;
        if (e == null) {
            throw new KonomiException("no evaluator installed (bundle konomi.train)");
        }
        EvalOptions o = EvalOptions.defaults().withOutput(TrainArgs.path(out));
        switch (split) {
            case "", "test" -> { }
            case "all" -> o = o.withPart(EvalOptions.Part.ALL);
            default -> throw new KonomiException("--split must be test or all, not '" + split + "'");
        }
        if (!seed.isEmpty()) {
            o = o.withSeed(TrainArgs.whole("--seed", seed));
        }
        if (!val.isEmpty()) {
            o = o.withVal(TrainArgs.number("--val", val));
        }
        if (!test.isEmpty()) {
            o = o.withTest(TrainArgs.number("--test", test));
        }
        if (!groups.isEmpty()) {
            o = o.withGroups(Path.of(groups));
        }
        if (!top.isEmpty()) {
            o = o.withTop(TrainArgs.integer("--top", top));
        }
        if (!threshold.isEmpty()) {
            o = o.withThreshold(TrainArgs.number("--threshold", threshold));
        }
        EvalResult r = e.evaluate(Path.of(model), Path.of(dataset), o, TrainArgs.messages());
        Table t = new Table("metric", "value");
        r.metrics().forEach((k, v) -> t.row(k, COUNTS.contains(k) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.4f", v)));
        t.print(System.out);
        System.out.println("wrote " + r.json() + " and " + r.html());
    }
}
