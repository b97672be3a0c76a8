package konomi.gen.gan;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import konomi.api.Image;
import konomi.api.gen.Generator;
import konomi.nn.NativeMemory;
import konomi.nn.gan.Samples;

/**
 * A trained GAN generator as a {@link Generator}. Latent vectors come from {@link Random} seeded by the caller, so a
 * seed names the same faces on every machine; the network loads on first use and draws one batch at a time.
 */
final class GanGenerator implements Generator {
    private static final int BATCH = 64;
    private final String name;
    private final int latent;
    private final Supplier<MultiLayerNetwork> loader;
    private MultiLayerNetwork net; // guarded by this

    GanGenerator(String name, int latent, Supplier<MultiLayerNetwork> loader) {
        this.name = name;
        this.latent = latent;
        this.loader = loader;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return konomi.nn.gan.GanNets.SIZE;
    }

    /** {@code count} latent vectors drawn from N(0, 1) by a generator seeded with {@code seed}. */
    static float[][] latents(int count, long seed, int latent) {
        Random r = new Random(seed);
        float[][] z = new float[count][latent];
        for (float[] v : z) {
            for (int j = 0; j < latent; j++) {
                v[j] = (float) r.nextGaussian();
            }
        }
        return z;
    }

    @Override
    public List<Image> generate(int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, not " + count);
        }
        return draw(latents(count, seed, latent), name + "-" + seed + "-");
    }

    /** Spherical interpolation: Gaussian latents live near a sphere, and a straight line between two would pass inside it. */
    @Override
    public List<Image> interpolate(long from, long to, int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("steps must be at least 2, not " + steps);
        }
        float[] a = latents(1, from, latent)[0], b = latents(1, to, latent)[0];
        double na = 0, nb = 0, dot = 0;
        for (int j = 0; j < latent; j++) {
            na += a[j] * a[j];
            nb += b[j] * b[j];
            dot += a[j] * b[j];
        }
        double omega = Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb))));
        float[][] z = new float[steps][latent];
        for (int i = 0; i < steps; i++) {
            double t = i / (steps - 1.0);
            double wa = omega < 1e-6 ? 1 - t : Math.sin((1 - t) * omega) / Math.sin(omega);
            double wb = omega < 1e-6 ? t : Math.sin(t * omega) / Math.sin(omega);
            for (int j = 0; j < latent; j++) {
                z[i][j] = (float) (wa * a[j] + wb * b[j]);
            }
        }
        return draw(z, name + "-" + from + "-" + to + "-");
    }

    /** Latents {@code from .. from+n} as the network's input, {@code [n, latent, 1, 1]}. */
    static INDArray latentBatch(float[][] z, int from, int n) {
        int latent = z[0].length;
        float[] flat = new float[n * latent];
        for (int i = 0; i < n; i++) {
            System.arraycopy(z[from + i], 0, flat, i * latent, latent);
        }
        return Nd4j.create(flat, new long[] {n, latent, 1, 1}, 'c');
    }

    private List<Image> draw(float[][] z, String prefix) {
        List<Image> out = new ArrayList<>(z.length);
        for (int from = 0; from < z.length; from += BATCH) {
            INDArray x = latentBatch(z, from, Math.min(BATCH, z.length - from)), y = null;
            try {
                synchronized (this) {
                    if (net == null) {
                        net = loader.get();
                    }
                    y = net.output(x, false);
                }
                List<Image> part = Samples.images(y, prefix);
                for (int i = 0; i < part.size(); i++) {
                    Image im = part.get(i);
                    out.add(new Image(prefix + (from + i), im.width(), im.height(), im.channels(), im.pixels()));
                }
            } finally {
                NativeMemory.close(x);
                NativeMemory.close(y);
            }
        }
        return out;
    }
}
