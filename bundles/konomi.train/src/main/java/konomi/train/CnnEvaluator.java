package konomi.train;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;

import konomi.api.train.EvalOptions;
import konomi.api.train.EvalResult;
import konomi.api.train.Evaluator;
import konomi.api.train.TrainListener;

/**
 * Evaluation of a DL4J face network trained by {@link CnnTrainer}: a scorer run by {@link Evaluation}, a detector run
 * ({@code model.json} of task detection) by {@link DetectorRunEvaluation}.
 */
@Component
public class CnnEvaluator implements Evaluator {
    @Override
    public EvalResult evaluate(Path model, Path dataset, EvalOptions options, TrainListener listener) {
        if (DetectorRunEvaluation.isDetector(model)) {
            return new DetectorRunEvaluation(model, dataset, options, listener).run();
        }
        return new Evaluation(model, dataset, options, listener).run();
    }
}
