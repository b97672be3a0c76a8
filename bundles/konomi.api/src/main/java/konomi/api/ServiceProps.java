package konomi.api;

/**
 * Service property keys that Konomi's services carry, one constant for each. Model services registered by the
 * model extender carry all of them; detectors, scorers and generators are selected by {@link #NAME}.
 */
public final class ServiceProps {
    /** The name users type ({@code detect:use animeface}); for models, the {@code name=} of the model header. */
    public static final String NAME = "konomi.name";
    /** What a model service is for: {@code detector}, {@code scorer}, {@code generator}. */
    public static final String KIND = "konomi.kind";
    /** The implementation family that loaded it, e.g. {@code cascade}, {@code regression}. */
    public static final String TYPE = "konomi.type";
    /** The model's version (its bundle's version), as a string. */
    public static final String VERSION = "konomi.version";
    /** Symbolic name of the bundle that carries the model. */
    public static final String MODEL_BUNDLE = "konomi.model.bundle";
    /** Id (a Long) of the bundle that carries the model. */
    public static final String MODEL_BUNDLE_ID = "konomi.model.bundle.id";

    private ServiceProps() {
    }
}
