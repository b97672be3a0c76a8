package konomi.api.gen;

import java.util.Objects;

/**
 * Options of {@link GeneratorTrainer#train}.
 *
 * @param epochs       passes over the training faces
 * @param batch        pictures per step
 * @param learningRate Adam's learning rate for both networks
 * @param loss         {@code dcgan} (non-saturating, batch norm in the discriminator) or {@code hinge} (SN-GAN)
 * @param spectralNorm spectral normalisation of the discriminator's weights
 * @param augment      differentiable augmentation (colour, translation, cutout) of what the discriminator sees
 * @param ema          decay of the moving average of the generator's weights that is sampled and shipped (0: none)
 * @param width        the networks' base width (channels of the generator's last hidden layer)
 * @param latent       length of the latent vector
 * @param seed         initialisation, shuffling and the fixed sample grid
 * @param evalSamples  samples drawn for the quality figures each measured epoch (0: no figures)
 * @param evalEvery    measure every Nth epoch (and always the last)
 * @param limit        use at most this many training faces (0: all)
 * @param resume       continue from the output folder's checkpoint when there is one
 * @param features     the installed scorer model whose penultimate layer gives features for FID/KID
 */
public record GenTrainOptions(int epochs, int batch, double learningRate, String loss, boolean spectralNorm, boolean augment,
                              double ema, int width, int latent, long seed, int evalSamples, int evalEvery, int limit,
                              boolean resume, String features) {
    public static final String DCGAN = "dcgan", HINGE = "hinge";

    public GenTrainOptions {
        range("epochs", epochs, 1, 10_000);
        range("batch", batch, 2, 1024);
        range("lr", learningRate, 1e-7, 1);
        Objects.requireNonNull(loss, "loss");
        if (!loss.equals(DCGAN) && !loss.equals(HINGE)) {
            throw new IllegalArgumentException("--loss must be " + DCGAN + " or " + HINGE + ", not " + loss);
        }
        range("ema", ema, 0, 0.99999);
        range("width", width, 2, 256);
        range("latent", latent, 2, 1024);
        range("eval samples", evalSamples, 0, 100_000);
        range("eval every", evalEvery, 1, 10_000);
        range("limit", limit, 0, 10_000_000);
        features = features == null || features.isBlank() ? "character" : features;
    }

    private static void range(String option, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new konomi.api.KonomiException("--" + option.replace(' ', '-') + " must be between " + fmt(min) + " and " + fmt(max) + ", not " + fmt(v));
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The strongest recipe measured: hinge loss, spectral norm, differentiable augmentation, EMA 0.999. */
    public static GenTrainOptions defaults() {
        return new GenTrainOptions(30, 64, 2e-4, HINGE, true, true, 0.999, 32, 128, 1, 5000, 1, 0, true, "character");
    }
}
