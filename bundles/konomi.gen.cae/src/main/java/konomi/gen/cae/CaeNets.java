package konomi.gen.cae;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import konomi.nn.gan.GanNets;

/** The four networks of the conditional adversarial autoencoder and how labels enter them. */
final class CaeNets {
    final MultiLayerNetwork encoder, decoder, codeD, imageD;
    final int latent, labels;

    CaeNets(MultiLayerNetwork encoder, MultiLayerNetwork decoder, MultiLayerNetwork codeD, MultiLayerNetwork imageD, int latent, int labels) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.codeD = codeD;
        this.imageD = imageD;
        this.latent = latent;
        this.labels = labels;
    }

    /** New networks: the decoder is the GAN generator taking code and one-hot label together as its latent. */
    static CaeNets create(int width, int latent, int labels, double lr, long seed) {
        return new CaeNets(GanNets.encoder(width, latent, lr, 0.5, seed), GanNets.generator(latent + labels, width, lr, 0.5, seed + 1),
                GanNets.codeDiscriminator(latent, lr, 0.5, seed + 2), GanNets.discriminator(width, false, lr, 0.5, seed + 3, 3 + labels),
                latent, labels);
    }

    static INDArray onehot(int[] labels, int count) {
        INDArray o = Nd4j.zeros(DataType.FLOAT, labels.length, count);
        for (int i = 0; i < labels.length; i++) {
            o.putScalar(i, labels[i], 1);
        }
        return o;
    }

    /** [n, latent + labels, 1, 1]: what the decoder takes. */
    static INDArray decoderInput(INDArray code, INDArray onehot) {
        INDArray c = Nd4j.concat(1, code, onehot);
        return c.reshape(c.size(0), c.size(1), 1, 1);
    }

    /** The one-hot labels as constant planes of the picture's size (the image discriminator's extra channels). */
    static INDArray planes(INDArray onehot, int size) {
        long n = onehot.size(0), l = onehot.size(1);
        return onehot.reshape(n, l, 1, 1).broadcast(n, l, size, size).dup('c');
    }
}
