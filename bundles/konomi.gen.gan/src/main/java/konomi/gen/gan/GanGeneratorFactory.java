package konomi.gen.gan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.deeplearning4j.util.ModelSerializer;
import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import konomi.api.KonomiException;
import konomi.api.gen.Generator;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelFactory;
import konomi.nn.gan.GeneratorHeader;

/**
 * Loads generator model bundles ({@code Konomi-Model: generator;type=gan;name=...;file=...;input=64x64x3;latent=128}):
 * the file must be a DL4J model zip whose network takes {@code latent} channels and draws 64x64 RGB pictures. The
 * checks read the zip's configuration only, so a wrong bundle fails at once without loading ND4J.
 */
@Component(service = ModelFactory.class, property = {ModelFactory.KIND + "=generator", ModelFactory.TYPE + "=gan"})
public class GanGeneratorFactory implements ModelFactory<Generator> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Class<Generator> serviceType() {
        return Generator.class;
    }

    @Override
    public Generator create(ModelDescriptor d, Path modelFile) {
        String where = GeneratorHeader.where(d);
        int latent = GeneratorHeader.latent(d, "a GAN generator");
        long channelsIn = firstLayerInputs(where, modelFile);
        if (channelsIn != latent) {
            throw new KonomiException(where + ": the network takes a latent vector of " + channelsIn + " but the header says latent=" + latent);
        }
        return new GanGenerator(d.name(), latent, () -> {
            try {
                return ModelSerializer.restoreMultiLayerNetwork(modelFile.toFile(), false);
            } catch (IOException | RuntimeException e) {
                throw new KonomiException(where + ": cannot load the network (" + e.getMessage() + ")");
            }
        });
    }

    /** The first layer's input width from the zip's configuration.json. */
    static long firstLayerInputs(String where, Path modelFile) {
        try (ZipFile zip = new ZipFile(modelFile.toFile())) {
            ZipEntry conf = zip.getEntry("configuration.json"), coefficients = zip.getEntry("coefficients.bin");
            if (conf == null || coefficients == null) {
                throw new KonomiException(where + ": not a DL4J model zip (configuration.json or coefficients.bin missing)");
            }
            JsonNode first = JSON.readTree(zip.getInputStream(conf)).path("confs").path(0).path("layer");
            JsonNode nIn = first.path("nin");
            if (!nIn.canConvertToLong() || !first.path("@class").asText().endsWith("Deconvolution2D")) {
                throw new KonomiException(where + ": not a GAN generator network (its first layer is not a transposed convolution)");
            }
            return nIn.asLong();
        } catch (IOException e) {
            throw new KonomiException(where + ": not a DL4J model zip (" + e.getMessage() + ")");
        }
    }

}
