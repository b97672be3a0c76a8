package konomi.score.cnn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.api.Model;
import org.osgi.service.component.annotations.Component;

import konomi.api.KonomiException;
import konomi.api.Scorer;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelFactory;
import konomi.nn.FoldedNet;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;

/**
 * Loads scorer model bundles ({@code Konomi-Model: scorer;type=classification|regression;...}) whose file is a
 * DL4J model zip, and checks that the network matches its header (input size, number of labels).
 */
@Component(service = ModelFactory.class, property = {ModelFactory.KIND + "=scorer",
        ModelFactory.TYPE + "=classification", ModelFactory.TYPE + "=regression"})
public class CnnScorerFactory implements ModelFactory<Scorer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The output layer's width, read from the zip's configuration.json without loading ND4J. */
    static long outputsOf(ModelDescriptor d, Path modelFile) {
        try (ZipFile zip = new ZipFile(modelFile.toFile())) {
            ZipEntry conf = zip.getEntry("configuration.json"), coefficients = zip.getEntry("coefficients.bin");
            if (conf == null || coefficients == null) {
                throw new KonomiException(d.file() + " in " + d.bundle() + ": not a DL4J model zip (configuration.json or coefficients.bin missing)");
            }
            JsonNode json = JSON.readTree(zip.getInputStream(conf)), confs = json.path("confs");
            // a layer network lists its layers; a graph (--net res) its vertices, the output one named in networkOutputs
            JsonNode out = confs.isArray() ? confs.path(confs.size() - 1).path("layer").path("nout")
                    : json.path("vertices").path(json.path("networkOutputs").path(0).asText()).path("layerConf").path("layer").path("nout");
            if (!out.canConvertToLong()) {
                throw new KonomiException(d.file() + " in " + d.bundle() + ": not a DL4J network configuration (no output layer found)");
            }
            return out.asLong();
        } catch (IOException e) {
            throw new KonomiException(d.file() + " in " + d.bundle() + ": not a DL4J model zip (" + e.getMessage() + ")");
        }
    }

    static Model restore(ModelDescriptor d, Path modelFile) {
        try {
            return Nets.restoreModel(modelFile.toFile(), false); // a preference network may name konomi.nn's RankingLoss
        } catch (IOException | RuntimeException e) {
            throw new KonomiException(d.file() + " in " + d.bundle() + ": cannot load the network (" + e.getMessage() + ")");
        }
    }

    @Override
    public Class<Scorer> serviceType() {
        return Scorer.class;
    }

    @Override
    public Scorer create(ModelDescriptor d, Path modelFile) {
        Map<String, String> header = new HashMap<>(d.attributes());
        header.put("input", d.input()); // the extender keeps input apart from the other attributes
        ModelMeta meta = ModelMeta.fromHeader(d.type(), header);
        long outputs = outputsOf(d, modelFile);
        long expected = meta.classification() ? meta.labels().size() : 1;
        if (outputs != expected) {
            throw new KonomiException(d.file() + " in " + d.bundle() + ": network has " + outputs + " outputs but the header says "
                    + expected + (meta.classification() ? " labels" : " (regression)"));
        }
        // the weights load on first use: starting Konomi (and every command) must not pay for ND4J and
        // every installed network; the checks above already caught wrong or broken files
        // scored with batch norms folded into the convolutions, channels-last: the same function, fewer and faster ops
        return new CnnScorer(d.name(), meta, () -> FoldedNet.fold(restore(d, modelFile), meta.size(), CNN2DFormat.NHWC));
    }
}
