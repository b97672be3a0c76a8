package konomi.train;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;

import konomi.api.train.EvalOptions;
import konomi.api.train.EvalResult;
import konomi.api.train.Evaluator;
import konomi.api.train.TrainListener;

/** Evaluation of a DL4J face network trained by {@link CnnTrainer}; see {@link Evaluation}. */
@Component
public class CnnEvaluator implements Evaluator {
    @Override
    public EvalResult evaluate(Path model, Path dataset, EvalOptions options, TrainListener listener) {
        return new Evaluation(model, dataset, options, listener).run();
    }
}
