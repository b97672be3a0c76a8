package konomi.api.gen;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch of generator training.
 *
 * @param discriminatorLoss mean discriminator loss over the epoch's steps (for an autoencoder: both discriminators')
 * @param generatorLoss     mean adversarial loss of the generator (encoder and decoder)
 * @param figures           the quality figures measured this epoch, by name, in the order to show them; a GAN gives
 *                          {@code fid}, {@code kid}, {@code faceness}, {@code diversity}, {@code copies}, an autoencoder
 *                          {@code val_l1}, {@code train_l1}, {@code agreement}, {@code kept}; empty when not measured
 * @param imagesPerSecond   training throughput (real pictures per second)
 */
public record GenEpoch(int epoch, int epochs, double discriminatorLoss, double generatorLoss, Map<String, Double> figures,
                       double imagesPerSecond, double seconds, double etaSeconds) {
    public GenEpoch {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** A figure, or NaN when it was not measured. */
    public double figure(String name) {
        Double v = figures.get(name);
        return v == null ? Double.NaN : v;
    }
}
