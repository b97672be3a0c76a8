package konomi.api;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Scores face crops (preference regression, character classification ...). Registered as a service
 * with properties {@code konomi.name}, {@code konomi.kind=scorer}, {@code konomi.type}.
 */
@ConsumerType
public interface Scorer {
    String name();

    /** Scores a batch of face crops, one result per crop in the same order. */
    List<Score> score(List<Image> faces);
}
