package konomi.nn.gan;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Spectral normalisation (Miyato et al. 2018) as a constraint applied after each update: every weight matrix
 * ({@code [out, in*kh*kw]}) is divided by its largest singular value, estimated by one power iteration per step
 * with the vector kept between steps. DL4J cannot differentiate through {@code W/sigma(W)}, so the division is a
 * projection after the optimiser's step rather than a reparameterisation; the network stays 1-Lipschitz per layer,
 * which is what stabilises the discriminator.
 */
public final class SpectralNorm {
    private final List<INDArray> weights = new ArrayList<>();
    private final List<INDArray> us = new ArrayList<>();

    public SpectralNorm(MultiLayerNetwork net, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (Layer l : net.getLayers()) {
            INDArray w = l.numParams() == 0 ? null : l.paramTable().get("W");
            if (w != null) {
                INDArray m = w.reshape('c', w.size(0), w.length() / w.size(0)); // a view of the params: dividing it divides W
                weights.add(m);
                INDArray u = Nd4j.randn(DataType.FLOAT, m.size(0), 1);
                us.add(u.divi(u.norm2Number()));
            }
        }
        for (int k = 0; k < 20; k++) { // settle the vectors before the first division, which would otherwise use a poor estimate
            power(false);
        }
    }

    /** One power iteration per weight, then the division; returns the largest sigma seen before dividing. */
    public double apply() {
        return power(true);
    }

    private double power(boolean divide) {
        double max = 0;
        for (int i = 0; i < weights.size(); i++) {
            INDArray w = weights.get(i);
            INDArray v = w.transpose().mmul(us.get(i));
            v.divi(v.norm2Number().doubleValue() + 1e-12);
            INDArray wv = w.mmul(v);
            double sigma = wv.norm2Number().doubleValue();
            us.get(i).assign(wv.divi(sigma + 1e-12));
            if (divide && sigma > 0) {
                w.divi(sigma);
            }
            max = Math.max(max, sigma);
        }
        return max;
    }

    /** Number of weight matrices constrained. */
    public int size() {
        return weights.size();
    }
}
