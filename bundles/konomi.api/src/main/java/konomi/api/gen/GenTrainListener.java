package konomi.api.gen;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives generator training progress. */
@ConsumerType
public interface GenTrainListener {
    void epoch(GenEpoch epoch);

    /** Free-form progress (faces loaded, resumed from ...). */
    default void message(String text) {
    }
}
