package konomi.train;

import org.osgi.service.component.annotations.Component;

import konomi.api.train.CompositeOptions;
import konomi.api.train.CompositeResult;
import konomi.api.train.Compositor;
import konomi.api.train.TrainListener;

/** Composite detector training pictures from the shared face crops and backgrounds; see {@link Compositing}. */
@Component
public class FaceCompositor implements Compositor {
    @Override
    public CompositeResult compose(CompositeOptions options, TrainListener listener) {
        return Compositing.run(options, listener);
    }
}
