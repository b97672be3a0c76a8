package konomi.api.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link Calibrator#calibrate} did.
 *
 * @param temperature the fitted temperature: above 1 the network was overconfident, below 1 underconfident
 * @param validation  the validation part (where T was fitted) before and after: {@code loss}, {@code accuracy},
 *                    {@code calibration_error}, each also as {@code <name>_before}
 * @param test        the same on the recorded test part (reported, never fitted on); empty without one
 * @param model       the calibrated network ({@code model.zip})
 * @param original    the network as trained, kept
 * @param json        {@code calibration.json}, the record of all of this
 * @since 0.17
 */
public record CalibrationResult(double temperature, Map<String, Double> validation, Map<String, Double> test, Path model, Path original,
                                Path json) {
    public CalibrationResult {
        validation = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(validation));
        test = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(test));
    }
}
