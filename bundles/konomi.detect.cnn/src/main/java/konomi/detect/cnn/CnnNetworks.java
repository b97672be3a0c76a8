package konomi.detect.cnn;

import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;

/** Loading a detector's weights; kept apart so the factory's class needs no DL4J class until a detection runs. */
final class CnnNetworks {
    private CnnNetworks() {
    }

    static MultiLayerNetwork restore(ModelDescriptor d, Path modelFile) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(modelFile.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new KonomiException(d.file() + " in " + d.bundle() + ": cannot load the network (" + e.getMessage() + ")");
        }
    }
}
