package konomi.api.sink;

/**
 * A detector or scorer as a run used it.
 *
 * @param name    its name ({@code konomi.name})
 * @param version its version ({@code konomi.version}), or empty
 * @param type    its type ({@code konomi.type}: cascade, regression, classification ...), or empty
 * @param bundle  the model bundle it came from, or empty
 */
public record ModelRef(String name, String version, String type, String bundle) {
    public ModelRef {
        version = version == null ? "" : version;
        type = type == null ? "" : type;
        bundle = bundle == null ? "" : bundle;
    }

    /** Whether its scores carry labels (a classifier). */
    public boolean classifier() {
        return "classification".equals(type);
    }
}
