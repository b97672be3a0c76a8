package konomi.api.train;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Temperature scaling (Guo et al. 2017) of a trained classifier: one temperature T, fitted on the validation files
 * its run recorded so that its probabilities say how often it is right, is folded into the network's output layer
 * (its logits divided by T), so that every reader of the network (scoring, a regressor trained through its labels, a
 * distillation teacher) gets the calibrated probabilities. Top-1 and top-3 do not change: dividing the logits keeps
 * their order. The network before calibration is kept beside it; calibrating again fits from that one.
 *
 * @since 0.17
 */
@ProviderType
public interface Calibrator {
    /**
     * @param run     a train:run output folder of a classifier ({@code model.zip}, {@code model.json}, {@code split.json})
     * @param dataset the dataset it was trained on
     * @throws konomi.api.KonomiException when the run is not a classifier, was trained on its validation part
     *                                    ({@code --final}), or the dataset no longer holds the recorded files
     */
    CalibrationResult calibrate(Path run, Path dataset, TrainListener listener);
}
