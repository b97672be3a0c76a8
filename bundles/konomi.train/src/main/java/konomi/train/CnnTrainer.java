package konomi.train;

import org.osgi.service.component.annotations.Component;

import konomi.api.train.TrainListener;
import konomi.api.train.TrainRequest;
import konomi.api.train.TrainResult;
import konomi.api.train.Trainer;

/** The DL4J face-network trainer ({@code konomi.name=cnn}); see {@link TrainingRun} and {@link Options}. */
@Component(property = "konomi.name=cnn")
public class CnnTrainer implements Trainer {
    @Override
    public String name() {
        return "cnn";
    }

    @Override
    public TrainResult train(TrainRequest request, TrainListener listener) {
        return new TrainingRun(request, listener).run();
    }

    @Override
    public double[][] findLearningRate(TrainRequest request, double minLr, double maxLr, int steps, TrainListener listener) {
        return new TrainingRun(request, listener).findLearningRate(minLr, maxLr, steps);
    }

    @Override
    public java.util.Map<String, Double> evaluate(TrainRequest request, TrainListener listener) {
        return new Evaluation(request, listener).run();
    }

    @Override
    public double[][] crossValidate(TrainRequest request, int folds, TrainListener listener) {
        return new TrainingRun(request, listener).crossValidate(folds);
    }
}
