package konomi.gen.gan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.deeplearning4j.nn.api.Model;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import konomi.api.FaceDetector;
import konomi.api.KonomiException;
import konomi.api.gen.GenTrainListener;
import konomi.api.gen.GenTrainOptions;
import konomi.api.gen.GenTrainResult;
import konomi.api.gen.GeneratorTrainer;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelRegistry;
import konomi.api.model.ModelStatus;
import konomi.nn.Nets;
import konomi.nn.gan.FaceSet;

/**
 * Trains GAN generators ({@code gen:train}). The quality figures use two installed models: the scorer named by
 * {@code --features} (its penultimate layer) and the {@code animeface} cascade (faceness); without them the figures
 * they give are left out and the run says so.
 */
@Component(service = GeneratorTrainer.class, property = GeneratorTrainer.TYPE + "=gan")
public class GanTrainer implements GeneratorTrainer {
    /** The cascade that measures faceness, whichever detector score:run uses. */
    static final String FACENESS_DETECTOR = "animeface";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelRegistry models;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(konomi.name=" + FACENESS_DETECTOR + ")")
    private volatile FaceDetector cascade;

    @Override
    public GenTrainResult train(List<Path> datasets, Path output, GenTrainOptions options, GenTrainListener listener) {
        try {
            return new GanRun(datasets, output, options, listener, this::quality).run();
        } catch (IOException e) {
            throw new KonomiException(output + ": " + e.getMessage(), e);
        }
    }

    private Quality quality(FaceSet faces, GenTrainOptions o, GenTrainListener listener) {
        Model features = null;
        int size = 96;
        ModelRegistry r = models;
        Optional<Path> file = r == null ? Optional.empty() : r.modelFile("scorer", o.features());
        if (file.isPresent()) {
            try {
                features = Nets.restoreModel(file.get().toFile(), false);
                Nets.poolingLayer(features);
            } catch (IOException | RuntimeException e) {
                throw new KonomiException("--features " + o.features() + ": cannot use its network (" + e.getMessage() + ")");
            }
            size = r.models().stream().map(ModelStatus::descriptor).filter(d -> d != null && d.kind().equals("scorer") && d.name().equals(o.features()))
                    .map(ModelDescriptor::input).filter(i -> i.matches("\\d+x\\d+x3")).map(i -> Integer.parseInt(i.split("x")[0]))
                    .findFirst().orElse(size);
            listener.message("features for FID/KID: the penultimate layer of scorer " + o.features() + " at " + size + " px"
                    + (Nets.channelsLast(features) ? " (NHWC)" : ""));
        } else {
            listener.message("no installed scorer " + o.features() + ": FID, KID and diversity are not measured");
        }
        FaceDetector c = cascade;
        if (c == null) {
            listener.message("no " + FACENESS_DETECTOR + " detector installed: faceness is not measured");
        }
        return new Quality(features, size, c, faces, o.evalSamples(), o.seed());
    }
}
