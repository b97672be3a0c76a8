package konomi.train;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;

import konomi.api.train.LrFindOptions;
import konomi.api.train.LrFindResult;
import konomi.api.train.LrFinder;
import konomi.api.train.TrainListener;

/** The learning-rate range test of the DL4J face network; see {@link LrFinding}. */
@Component
public class CnnLrFinder implements LrFinder {
    @Override
    public LrFindResult find(Path dataset, LrFindOptions options, TrainListener listener) {
        return new LrFinding(dataset, options, listener).run();
    }
}
