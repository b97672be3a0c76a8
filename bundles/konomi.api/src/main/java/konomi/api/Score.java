package konomi.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scorer's verdict on one face: a value (a rating for regression, the top label's probability for a
 * classifier), the top label for classifiers (null for regression) and all label probabilities, most
 * probable first.
 */
public record Score(String scorer, double value, String label, Map<String, Double> probabilities) {
    public Score {
        Map<String, Double> sorted = new LinkedHashMap<>();
        if (probabilities != null) {
            probabilities.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        }
        probabilities = Collections.unmodifiableMap(sorted);
    }
}
