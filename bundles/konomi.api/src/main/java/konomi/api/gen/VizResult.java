package konomi.api.gen;

import konomi.api.Image;

/**
 * A visualised class.
 *
 * @param probability what the classifier gives {@code label} for {@code image} at its input size
 */
public record VizResult(Image image, String label, double probability) {
}
