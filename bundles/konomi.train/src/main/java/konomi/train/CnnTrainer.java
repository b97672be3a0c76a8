package konomi.train;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;

import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelRegistry;
import konomi.api.model.ModelStatus;
import konomi.api.train.TrainListener;
import konomi.api.train.TrainOptions;
import konomi.api.train.TrainResult;
import konomi.api.train.Trainer;

/**
 * The DL4J face-network trainer; see {@link TrainingRun}. {@code init} is resolved here: an existing path (a
 * model.zip or a train:run folder), else the newest active installed scorer model of that name, whose network the
 * model registry hands out as a file.
 */
@Component
public class CnnTrainer implements Trainer {
    /** Optional: training from scratch or from a file needs no model registry. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ModelRegistry registry;

    @Override
    public TrainResult train(Path dataset, Path output, TrainOptions options, TrainListener listener) {
        if (options.detect()) {
            return new DetectionRun(dataset, output, options, listener, this::resolveInit).run();
        }
        return new TrainingRun(dataset, output, options, listener, this::resolve).run();
    }

    Path resolveInit(String init, TrainListener listener) {
        return resolve("--init", init, listener);
    }

    /** {@code init}-like option values ({@code --init}, {@code --teacher}) to a network file; messages name the option. */
    Path resolve(String option, String init, TrainListener listener) {
        Path path = null;
        try {
            path = Path.of(init);
        } catch (InvalidPathException e) {
            // not a path: a model name, or nothing
        }
        if (path != null && Files.exists(path)) {
            return Files.isDirectory(path) ? path.resolve("model.zip") : path;
        }
        ModelRegistry r = registry;
        Optional<Path> file = r == null ? Optional.empty() : r.modelFile("scorer", init);
        String kind = "scorer";
        if (file.isEmpty() && r != null) {
            file = r.modelFile("detector", init); // retraining a detector, e.g. on corrected labels
            kind = "detector";
        }
        if (file.isEmpty()) {
            throw new KonomiException(option + " " + init + ": no such file, and no installed scorer or detector model of that name (model:list shows them)");
        }
        String k = kind;
        // which bundle it came from, for the user; the file itself is what modelFile chose
        r.models().stream().filter(m -> m.state() == ModelStatus.State.ACTIVE && m.descriptor() != null)
                .map(ModelStatus::descriptor).filter(d -> d.kind().equals(k) && d.name().equals(init))
                .max(Comparator.comparing((ModelDescriptor d) -> Version.parseVersion(d.version())))
                .ifPresentOrElse(d -> listener.message(option + " " + init + ": the network of " + d.bundle() + " " + d.version()),
                        () -> listener.message(option + " " + init + ": the network of the installed " + k + " model"));
        return file.get();
    }
}
