package konomi.api.train;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives training progress. */
@ConsumerType
public interface TrainListener {
    /** After every epoch. */
    void epoch(EpochReport report);

    /** Free-form progress (dataset loaded, resumed from ...). */
    default void message(String text) {
    }
}
