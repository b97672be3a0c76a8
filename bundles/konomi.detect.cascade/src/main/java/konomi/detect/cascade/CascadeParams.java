package konomi.detect.cascade;

import java.util.Map;
import java.util.function.Function;

import konomi.api.KonomiException;

/** Resolved detection parameters; see {@link CascadeConfig} for meaning and precedence. */
record CascadeParams(double scaleFactor, int minNeighbors, int minSize, int maxSize, boolean equalizeHist) {

    static final CascadeParams DEFAULTS = new CascadeParams(1.1, 5, 24, 0, true);

    CascadeParams {
        if (!(scaleFactor > 1.0) || scaleFactor > 4) {
            throw new KonomiException("scaleFactor must be in (1, 4], not " + scaleFactor);
        }
        if (minNeighbors < 0 || minSize < 1 || maxSize < 0) {
            throw new KonomiException("minNeighbors >= 0, minSize >= 1 and maxSize >= 0 required, got "
                    + minNeighbors + ", " + minSize + ", " + maxSize);
        }
    }

    /**
     * Looks each key up in the given sources, first hit wins.
     *
     * @param where names the sources in error messages
     */
    @SafeVarargs
    static CascadeParams resolve(String where, Function<String, Object>... sources) {
        return new CascadeParams(
                number(where, "scaleFactor", DEFAULTS.scaleFactor, sources).doubleValue(),
                integer(where, "minNeighbors", DEFAULTS.minNeighbors, sources),
                integer(where, "minSize", DEFAULTS.minSize, sources),
                integer(where, "maxSize", DEFAULTS.maxSize, sources),
                Boolean.parseBoolean(String.valueOf(lookup("equalizeHist", DEFAULTS.equalizeHist, sources))));
    }

    static Map<String, Object> asMap(CascadeParams p) {
        return Map.of("scaleFactor", p.scaleFactor, "minNeighbors", p.minNeighbors, "minSize", p.minSize,
                "maxSize", p.maxSize, "equalizeHist", p.equalizeHist);
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
