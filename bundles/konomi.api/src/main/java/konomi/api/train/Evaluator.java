package konomi.api.train;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Measures a trained model on a dataset, by default on exactly the test files its training run held back, and
 * writes {@code eval.json} and {@code eval.html}.
 */
@ProviderType
public interface Evaluator {
    /**
     * @param model   a train:run output folder ({@code model.zip}, {@code model.json}, {@code split.json}) or its
     *                {@code model.zip}
     * @param dataset the dataset the model was trained on (or, with a split override, any dataset of its kind)
     * @throws konomi.api.KonomiException when the model is unreadable, or the dataset does not match the model or
     *                                    the run's recorded test files
     */
    EvalResult evaluate(Path model, Path dataset, EvalOptions options, TrainListener listener);
}
