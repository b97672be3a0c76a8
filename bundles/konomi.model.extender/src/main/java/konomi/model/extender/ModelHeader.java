package konomi.model.extender;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import aQute.bnd.header.Attrs;
import aQute.bnd.header.OSGiHeader;
import aQute.bnd.header.Parameters;
import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;

/** Reads and writes the {@code Konomi-Model} header (OSGi header syntax, parsed by bndlib). */
final class ModelHeader {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<String> KINDS = Set.of("detector", "scorer", "generator");
    private static final Set<String> CORE = Set.of("type", "name", "file", "input");

    private ModelHeader() {
    }

    /**
     * Parses a header value.
     *
     * @throws KonomiException with a one-line reason when the header is malformed
     */
    static ModelDescriptor parse(String header, String bundle, String version, String location) {
        Parameters params;
        try {
            params = OSGiHeader.parseHeader(header);
        } catch (RuntimeException e) {
            throw new KonomiException("Konomi-Model header is not valid OSGi header syntax: " + e.getMessage());
        }
        if (params.size() != 1) {
            throw new KonomiException("Konomi-Model header must name exactly one model, found " + params.size());
        }
        String kind = params.keySet().iterator().next().trim();
        Attrs attrs = params.get(kind);
        if (!KINDS.contains(kind)) {
            throw new KonomiException("Konomi-Model kind '" + kind + "' is not one of " + KINDS);
        }
        String type = required(attrs, "type");
        String name = required(attrs, "name");
        String file = required(attrs, "file");
        if (!NAME.matcher(name).matches()) {
            throw new KonomiException("Konomi-Model name '" + name + "' must match " + NAME.pattern());
        }
        Map<String, String> extra = new LinkedHashMap<>();
        for (String key : attrs.keySet()) {
            if (!CORE.contains(key)) {
                extra.put(key, attrs.get(key));
            }
        }
        return new ModelDescriptor(kind, type, name, version, file, attrs.get("input"), extra, bundle, location);
    }

    static String format(String kind, String type, String name, String file, Map<String, String> attributes) {
        StringBuilder sb = new StringBuilder(kind).append(";type=").append(quote(type)).append(";name=")
                .append(quote(name)).append(";file=").append(quote(file));
        attributes.forEach((k, v) -> sb.append(';').append(k).append('=').append(quote(v)));
        return sb.toString();
    }

    private static String quote(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String required(Attrs attrs, String key) {
        String v = attrs.get(key);
        if (v == null || v.isBlank()) {
            throw new KonomiException("Konomi-Model header has no " + key + "=");
        }
        return v.trim();
    }
}
