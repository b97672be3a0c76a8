package konomi.api.train;

import konomi.api.KonomiException;

/** Range checks for option records: one-line errors naming the option. */
final class Check {
    private Check() {
    }

    static int range(String option, int v, int min, int max) {
        if (v < min || v > max) {
            throw new KonomiException(option + " must be between " + min + " and " + max + ", not " + v);
        }
        return v;
    }

    static double range(String option, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new KonomiException(option + " must be between " + min + " and " + max + ", not " + v);
        }
        return v;
    }
}
