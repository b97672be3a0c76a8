package konomi.train;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;

import konomi.api.train.CrossValidator;
import konomi.api.train.CvOptions;
import konomi.api.train.CvResult;
import konomi.api.train.TrainListener;

/** Cross-validation of the DL4J face network; see {@link CrossValidation}. */
@Component
public class CnnCrossValidator implements CrossValidator {
    @Override
    public CvResult crossValidate(Path dataset, CvOptions options, TrainListener listener) {
        return new CrossValidation(dataset, options, listener).run();
    }
}
