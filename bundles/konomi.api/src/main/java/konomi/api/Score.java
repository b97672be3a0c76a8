package konomi.api;

import java.util.Map;

/**
 * A scorer's verdict on one face: a value (a rating for regression, the top label's probability for a
 * classifier), the top label for classifiers (null for regression) and all label probabilities.
 */
public record Score(String scorer, double value, String label, Map<String, Double> probabilities) {
    public Score {
        probabilities = probabilities == null ? Map.of() : Map.copyOf(probabilities);
    }
}
