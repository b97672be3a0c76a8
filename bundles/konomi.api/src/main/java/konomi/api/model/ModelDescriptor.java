package konomi.api.model;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@code Konomi-Model} header says about a model, plus the bundle it came from.
 * Header form: {@code Konomi-Model: <kind>;type=<type>;name=<name>;file=<entry>[;input=WxHxC][;key=value...]}.
 *
 * @param kind       what the model is for: {@code detector}, {@code scorer}, {@code generator}
 * @param type       implementation family that can load it, e.g. {@code cascade}, {@code regression}
 * @param name       the name users type ({@code detect:use animeface})
 * @param version    the bundle version
 * @param file       the model file's entry in the bundle
 * @param input      input size as WxHxC, or empty
 * @param attributes every other header attribute (model parameters), as strings
 * @param bundle     the bundle's symbolic name
 * @param location   the bundle's location (where it was installed from)
 */
public record ModelDescriptor(String kind, String type, String name, String version, String file, String input,
                              Map<String, String> attributes, String bundle, String location) {

    /** The manifest header read by the extender. */
    public static final String HEADER = "Konomi-Model";

    /**
     * Name of the {@code osgi.extender} capability the model extender provides and model bundles require:
     * {@code Require-Capability: osgi.extender;filter:="(&(osgi.extender=konomi.model)(version>=1.0)(!(version>=2.0)))"}.
     */
    public static final String EXTENDER = "konomi.model";

    /** Version of the {@link #EXTENDER} capability: the {@code Konomi-Model} header syntax. */
    public static final String EXTENDER_VERSION = "1.0.0";

    /** The requirement model bundles carry (see {@link #EXTENDER}). */
    public static final String EXTENDER_REQUIREMENT = "osgi.extender;filter:=\"(&(osgi.extender=" + EXTENDER
            + ")(version>=1.0)(!(version>=2.0)))\"";

    public ModelDescriptor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        input = input == null ? "" : input;
    }

    /** A model attribute, or the default when absent. */
    public String attribute(String key, String dflt) {
        return attributes.getOrDefault(key, dflt);
    }
}
