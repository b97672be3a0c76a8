package konomi.api.gen;

import java.util.List;

import konomi.api.Image;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Redraws a face as another label (a character): a conditional autoencoder's encoder and decoder. Registered like a
 * {@link Generator}, whose service it also is.
 */
@ConsumerType
public interface FaceTransformer {
    String name();

    /** The labels it can draw, in its own order. */
    List<String> labels();

    /**
     * The face redrawn as {@code label}, at the transformer's size.
     *
     * @throws IllegalArgumentException naming the label when it is not one of {@link #labels()}
     */
    Image transform(Image face, String label);

    /** The face encoded and decoded with no change asked for (its own label given, if known; else the first). */
    Image reconstruct(Image face, String label);
}
