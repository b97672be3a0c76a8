package konomi.api.train;

import java.util.Arrays;
import java.util.Locale;

import konomi.api.KonomiException;

/** How the learning rate changes over the epochs, from the peak rate. */
public enum Schedule {
    /** Half a cosine from the peak down to about 0. */
    COSINE,
    /** Linear warm-up from a 25th of the peak over the first 30% of epochs, then cosine down. */
    ONECYCLE,
    /** A tenth every third of the epochs. */
    STEP,
    /** The peak rate throughout. */
    CONSTANT;

    /** The name users type (lower case). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Schedule parse(String value) {
        for (Schedule s : values()) {
            if (s.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new KonomiException("schedule must be one of " + Arrays.stream(values()).map(Schedule::label).toList() + ", not '" + value + "'");
    }
}
