package konomi.detect.cnn;

import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;
import konomi.nn.detect.DetectorNets;

/** Loading a detector's weights; kept apart so the factory's class needs no DL4J class until a detection runs. */
final class CnnNetworks {
    private CnnNetworks() {
    }

    static MultiLayerNetwork restore(ModelDescriptor d, Path modelFile) {
        try {
            return DetectorNets.restore(modelFile.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new KonomiException(d.file() + " in " + d.bundle() + ": cannot load the network (" + e.getMessage() + ")");
        }
    }
}
