package konomi.detect.cascade;

import java.util.function.Function;

import konomi.api.KonomiException;

/** Resolved detection parameters; see {@link CascadeConfig} for meaning and precedence. */
record CascadeParams(double scaleFactor, int minNeighbors, int minSize, int maxSize, boolean equalizeHist) {

    static final CascadeParams DEFAULTS = new CascadeParams(1.1, 5, 24, 0, true);


    /**
     * Looks each key up in the given sources, first hit wins.
     *
     * @param where names the sources in error messages
     */
    @SafeVarargs
    static CascadeParams resolve(String where, Function<String, Object>... sources) {
        CascadeParams p = new CascadeParams(
                number(where, "scaleFactor", DEFAULTS.scaleFactor, sources).doubleValue(),
                integer(where, "minNeighbors", DEFAULTS.minNeighbors, sources),
                integer(where, "minSize", DEFAULTS.minSize, sources),
                integer(where, "maxSize", DEFAULTS.maxSize, sources),
                Boolean.parseBoolean(String.valueOf(lookup("equalizeHist", DEFAULTS.equalizeHist, sources))));
        if (!(p.scaleFactor > 1.0) || p.scaleFactor > 4) {
            throw new KonomiException(where + ": scaleFactor must be in (1, 4], not " + p.scaleFactor);
        }
        if (p.minNeighbors < 0 || p.minSize < 1 || p.maxSize < 0) {
            throw new KonomiException(where + ": minNeighbors >= 0, minSize >= 1 and maxSize >= 0 required, got "
                    + p.minNeighbors + ", " + p.minSize + ", " + p.maxSize);
        }
        return p;
    }

    @SafeVarargs
    private static int integer(String where, String key, int dflt, Function<String, Object>... sources) {
        Number n = number(where, key, dflt, sources);
        if (n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new KonomiException(where + ": " + key + " must be a whole number, not " + n);
        }
        return n.intValue();
    }

    @SafeVarargs
    private static Number number(String where, String key, Number dflt, Function<String, Object>... sources) {
        Object v = lookup(key, dflt, sources);
        if (v instanceof Number n) {
            return n;
        }
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new KonomiException(where + ": " + key + " is not a number: '" + v + "'");
        }
    }

    @SafeVarargs
    private static Object lookup(String key, Object dflt, Function<String, Object>... sources) {
        for (Function<String, Object> s : sources) {
            Object v = s.apply(key);
            if (v != null) {
                return v;
            }
        }
        return dflt;
    }
}
