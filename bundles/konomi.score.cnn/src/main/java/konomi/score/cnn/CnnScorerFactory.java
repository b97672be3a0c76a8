package konomi.score.cnn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.osgi.service.component.annotations.Component;

import konomi.api.KonomiException;
import konomi.api.Scorer;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelFactory;
import konomi.nn.ModelMeta;

/**
 * Loads scorer model bundles ({@code Konomi-Model: scorer;type=classification|regression;...}) whose file is a
 * DL4J model zip, and checks that the network matches its header (input size, number of labels).
 */
@Component(service = ModelFactory.class, property = {ModelFactory.KIND + "=scorer",
        ModelFactory.TYPE + "=classification", ModelFactory.TYPE + "=regression"})
public class CnnScorerFactory implements ModelFactory<Scorer> {

    @Override
    public Class<Scorer> serviceType() {
        return Scorer.class;
    }

    @Override
    public Scorer create(ModelDescriptor d, Path modelFile) {
        Map<String, String> header = new HashMap<>(d.attributes());
        header.put("input", d.input()); // the extender keeps input apart from the other attributes
        ModelMeta meta = ModelMeta.fromHeader(d.type(), header);
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(modelFile.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new KonomiException(d.file() + " in " + d.bundle() + ": not a DL4J model zip (" + e.getMessage() + ")");
        }
        long outputs = net.layerSize(net.getnLayers() - 1);
        long expected = meta.classification() ? meta.labels().size() : 1;
        if (outputs != expected) {
            throw new KonomiException(d.file() + " in " + d.bundle() + ": network has " + outputs + " outputs but the header says "
                    + expected + (meta.classification() ? " labels" : " (regression)"));
        }
        return new CnnScorer(d.name(), meta, net);
    }
}
