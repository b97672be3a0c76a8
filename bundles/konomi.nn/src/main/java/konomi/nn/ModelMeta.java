package konomi.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import konomi.api.KonomiException;

/**
 * How to use a trained network: its task, labels (classification), input size and normalisation.
 * Written as {@code model.json} beside {@code model.zip}; {@code model:package} copies it into the
 * bundle's {@code Konomi-Model} header.
 *
 * @param task   {@code classification} or {@code regression}
 * @param labels class labels in output order (empty for regression)
 * @param size   square input side in pixels
 * @param norm   input normalisation; {@code rgb01} = RGB channels scaled to [0, 1]
 * @param range  for regression: the target range, e.g. [1, 5]
 * @param tta    test-time augmentation the network was validated with: {@code flip} (outputs of the face and its
 *               mirror image averaged) or null
 */
public record ModelMeta(String task, List<String> labels, int size, String norm, double[] range, String tta) {
    public static final String RGB01 = "rgb01", FLIP = "flip";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelMeta {
        labels = labels == null ? List.of() : List.copyOf(labels);
        if (!task.equals("classification") && !task.equals("regression")) {
            throw new KonomiException("model task must be classification or regression, not " + task);
        }
        tta = tta == null || tta.isBlank() ? null : tta;
        if (tta != null && !tta.equals(FLIP)) {
            throw new KonomiException("model tta must be " + FLIP + " or absent, not " + tta);
        }
    }

    /** Without test-time augmentation. */
    public ModelMeta(String task, List<String> labels, int size, String norm, double[] range) {
        this(task, labels, size, norm, range, null);
    }

    /** Whether scores average the face and its mirror image. */
    public boolean flipTest() {
        return FLIP.equals(tta);
    }

    public ModelMeta withTta(String v) {
        return new ModelMeta(task, labels, size, norm, range, v);
    }

    public boolean classification() {
        return task.equals("classification");
    }

    /** The header attributes of a model bundle (besides kind, type, name and file). */
    public Map<String, String> headerAttributes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("input", size + "x" + size + "x3");
        m.put("norm", norm);
        if (classification()) {
            m.put("labels", String.join(",", labels));
        } else if (range != null) {
            m.put("range", range[0] + "," + range[1]);
        }
        if (tta != null) {
            m.put("tta", tta);
        }
        return m;
    }

    /** Reads the header attributes back (what a scorer bundle gets from the extender). */
    public static ModelMeta fromHeader(String type, Map<String, String> attributes) {
        String input = attributes.getOrDefault("input", "");
        String[] whc = input.split("x");
        if (whc.length != 3 || !whc[0].equals(whc[1]) || !whc[2].equals("3")) {
            throw new KonomiException("Konomi-Model input must be SxSx3, not '" + input + "'");
        }
        String labels = attributes.getOrDefault("labels", "");
        double[] range = null;
        if (attributes.containsKey("range")) {
            String[] r = attributes.get("range").split(",");
            range = new double[] {Double.parseDouble(r[0]), Double.parseDouble(r[1])};
        }
        ModelMeta m = new ModelMeta(type, labels.isBlank() ? List.of() : List.of(labels.split(",")), Integer.parseInt(whc[0]),
                attributes.getOrDefault("norm", RGB01), range, attributes.get("tta"));
        if (m.classification() && m.labels.isEmpty()) {
            throw new KonomiException("Konomi-Model of a classification scorer needs labels=\"a,b,...\"");
        }
        if (!RGB01.equals(m.norm)) {
            throw new KonomiException("Konomi-Model norm '" + m.norm + "' is not supported (only " + RGB01 + ")");
        }
        return m;
    }

    /** Writes the description (callers make it atomic). */
    public void write(Path file) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
    }

    /** The same JSON to a stream (for atomic writes); the stream is closed. */
    public void write(java.io.OutputStream out) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(out, this);
    }

    public static ModelMeta read(Path file) {
        try {
            return JSON.readValue(file.toFile(), ModelMeta.class);
        } catch (IOException e) {
            throw new KonomiException(file + ": not a Konomi model description: " + e.getMessage(), e);
        }
    }
}
