package konomi.train;

import java.nio.file.Path;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import konomi.api.train.EnsembleResult;
import konomi.api.train.Ensembler;
import konomi.api.train.TrainListener;

/** DL4J classifier runs packed as one network; see {@link Ensemble}. */
@Component
public class CnnEnsembler implements Ensembler {
    @Override
    public EnsembleResult pack(List<Path> runs, Path dataset, Path out, boolean half, Mean mean, TrainListener listener) {
        return new Ensemble(runs, dataset, out, half, mean == Mean.GEOMETRIC, listener).run();
    }
}
