package konomi.shell;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.KonomiException;
import konomi.api.train.CalibrationResult;
import konomi.api.train.Calibrator;

/** {@code train:calibrate}: temperature scaling of a classifier run, fitted on its recorded validation part. */
@Component(service = CalibrateCommand.class, property = {"osgi.command.scope=train", "osgi.command.function=calibrate"})
public class CalibrateCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Calibrator calibrator;

    @Descriptor("calibrate a classifier run's probabilities (temperature scaling): one temperature fitted on the validation files "
            + "the run recorded, folded into its model.zip so that scoring, --via-labels and --teacher read calibrated probabilities; "
            + "the network as trained is kept as model.uncalibrated.zip (calibrating again starts from it), the figures go to "
            + "calibration.json; accuracy stays (exactly so without the flip test, whose two views are scaled apart)")
    public void calibrate(
            @Descriptor("train:run output folder of a classifier (model.zip, model.json, split.json)") String run,
            @Descriptor("the dataset it was trained on") String dataset) {
        Calibrator c = calibrator;
        if (c == null) {
            throw new KonomiException("no calibrator installed (bundle konomi.train)");
        }
        CalibrationResult r = c.calibrate(Path.of(run), Path.of(dataset), TrainArgs.messages());
        boolean test = !r.test().isEmpty();
        Table t = test ? new Table("metric", "validation before", "validation after", "test before", "test after")
                : new Table("metric", "validation before", "validation after");
        for (String k : List.of("loss", "accuracy", "top3", "calibration_error")) {
            t.row(k, fmt(r.validation(), k + "_before"), fmt(r.validation(), k), test ? fmt(r.test(), k + "_before") : null,
                    test ? fmt(r.test(), k) : null);
        }
        t.print(System.out);
        System.out.printf(Locale.ROOT, "temperature %.3f (fitted on %.0f validation images%s); wrote %s, kept %s, recorded %s%n",
                r.temperature(), r.validation().get("n"), test ? "; test reported only" : "", r.model(), r.original(), r.json());
    }

    private static String fmt(Map<String, Double> m, String k) {
        return String.format(Locale.ROOT, "%.4f", m.get(k));
    }
}
