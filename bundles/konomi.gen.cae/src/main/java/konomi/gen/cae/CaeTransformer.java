package konomi.gen.cae;

import java.util.List;
import java.util.function.Supplier;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import konomi.api.Image;
import konomi.api.gen.FaceTransformer;
import konomi.nn.NativeMemory;
import konomi.nn.gan.GanNets;
import konomi.nn.gan.Samples;

/** A trained conditional autoencoder as a {@link FaceTransformer}; networks load on first use, one call at a time. */
final class CaeTransformer implements FaceTransformer {
    private final String name;
    private final List<String> labels;
    private final int latent;
    private final Supplier<MultiLayerNetwork[]> loader;
    private MultiLayerNetwork[] nets; // encoder, decoder; guarded by this

    CaeTransformer(String name, List<String> labels, int latent, Supplier<MultiLayerNetwork[]> loader) {
        this.name = name;
        this.labels = List.copyOf(labels);
        this.latent = latent;
        this.loader = loader;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public Image transform(Image face, String label) {
        return draw(face, index(label));
    }

    @Override
    public Image reconstruct(Image face, String label) {
        return draw(face, label == null || !labels.contains(label) ? 0 : labels.indexOf(label));
    }

    private int index(String label) {
        int i = labels.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException(name + " has no label " + label + "; its labels: " + String.join(", ", labels));
        }
        return i;
    }

    private synchronized Image draw(Image face, int label) {
        if (nets == null) {
            nets = loader.get();
        }
        INDArray x = Samples.batch(List.of(face), GanNets.SIZE), z = null, y = null;
        try {
            z = nets[0].output(x, false);
            y = nets[1].output(CaeNets.decoderInput(z, CaeNets.onehot(new int[] {label}, labels.size())), false);
            Image out = Samples.images(y, face.id() + "-" + labels.get(label)).get(0);
            return new Image(face.id() + " as " + labels.get(label), out.width(), out.height(), out.channels(), out.pixels());
        } finally {
            NativeMemory.close(x);
            NativeMemory.close(z);
            NativeMemory.close(y);
        }
    }

    int latent() {
        return latent;
    }
}
