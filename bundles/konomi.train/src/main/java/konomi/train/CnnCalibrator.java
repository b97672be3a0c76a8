package konomi.train;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;

import konomi.api.train.CalibrationResult;
import konomi.api.train.Calibrator;
import konomi.api.train.TrainListener;

/** Temperature scaling of a DL4J classifier run; see {@link Calibration}. */
@Component
public class CnnCalibrator implements Calibrator {
    @Override
    public CalibrationResult calibrate(Path run, Path dataset, TrainListener listener) {
        return new Calibration(run, dataset, listener).run();
    }
}
