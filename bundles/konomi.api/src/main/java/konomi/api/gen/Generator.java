package konomi.api.gen;

import java.util.List;

import konomi.api.Image;
import org.osgi.annotation.versioning.ConsumerType;

/** Generates new face images (GAN, autoencoder ...). */
@ConsumerType
public interface Generator {
    String name();

    /** Generates {@code count} images from the given seed. */
    List<Image> generate(int count, long seed);
}
