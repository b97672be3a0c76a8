package konomi.gen.cae;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.osgi.service.component.annotations.Component;

import konomi.api.KonomiException;
import konomi.api.gen.FaceTransformer;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelFactory;
import konomi.nn.gan.GeneratorHeader;

/**
 * Loads autoencoder model bundles
 * ({@code Konomi-Model: generator;type=cae;name=...;file=...;input=64x64x3;latent=32;labels="a,b,..."}): the file must
 * hold an encoder to {@code latent} codes and a decoder taking {@code latent} plus one input per label.
 */
@Component(service = ModelFactory.class, property = {ModelFactory.KIND + "=generator", ModelFactory.TYPE + "=cae"})
public class CaeFactory implements ModelFactory<FaceTransformer> {
    @Override
    public Class<FaceTransformer> serviceType() {
        return FaceTransformer.class;
    }

    @Override
    public FaceTransformer create(ModelDescriptor d, Path modelFile) {
        String where = GeneratorHeader.where(d);
        int latent = GeneratorHeader.latent(d, "the autoencoder");
        List<String> labels = Arrays.stream(d.attribute("labels", "").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (labels.size() < 2) {
            throw new KonomiException(where + ": the header needs labels=\"a,b,...\" (at least two)");
        }
        long decoderIn = CaeModel.firstInputs(where, modelFile, CaeModel.DECODER);
        if (decoderIn != latent + labels.size()) {
            throw new KonomiException(where + ": the decoder takes " + decoderIn + " inputs but the header's latent=" + latent + " and "
                    + labels.size() + " labels need " + (latent + labels.size()));
        }
        CaeModel.firstInputs(where, modelFile, CaeModel.ENCODER);
        return new CaeTransformer(d.name(), labels, latent, () -> new MultiLayerNetwork[] {
                CaeModel.read(where, modelFile, CaeModel.ENCODER), CaeModel.read(where, modelFile, CaeModel.DECODER)});
    }
}
