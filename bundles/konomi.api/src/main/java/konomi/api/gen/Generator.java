package konomi.api.gen;

import java.util.List;

import konomi.api.Image;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Draws new face images (GAN, autoencoder ...). Registered by the model extender with {@code konomi.name},
 * {@code konomi.kind=generator}, {@code konomi.type} and {@code konomi.version}. Safe to call from several threads.
 */
@ConsumerType
public interface Generator {
    String name();

    /** The side of the square images it draws, in pixels. */
    int size();

    /** Generates {@code count} images; the same seed gives the same images. */
    List<Image> generate(int count, long seed);

    /**
     * Walks from the image of seed {@code from} to that of seed {@code to} (the first image of
     * {@link #generate generate(1, seed)}) in {@code steps} images, both ends included.
     */
    List<Image> interpolate(long from, long to, int steps);
}
