package konomi.nn.detect;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import konomi.api.KonomiException;

/**
 * How to use a trained detector: the square input side, the output stride, the anchor boxes (width and height in
 * output cells) and the default confidence threshold and NMS overlap. Written as {@code model.json} (task
 * {@code detection}) beside {@code model.zip}; a detector bundle carries the same in its {@code Konomi-Model} header.
 *
 * @param task      always {@code detection}
 * @param size      input side in pixels; pictures are letterboxed into it
 * @param stride    input pixels per output cell
 * @param anchors   anchor boxes as {width, height} in output cells
 * @param threshold default confidence threshold
 * @param nms       default IoU above which the weaker of two overlapping detections is dropped
 * @param norm      input normalisation ({@code rgb01})
 */
public record DetectorMeta(String task, int size, int stride, double[][] anchors, double threshold, double nms, String norm) {
    public static final String TASK = "detection";
    public static final String RGB01 = "rgb01";
    private static final ObjectMapper JSON = new ObjectMapper();

    public DetectorMeta {
        task = task == null ? TASK : task;
        norm = norm == null ? RGB01 : norm;
        if (!TASK.equals(task)) {
            throw new KonomiException("detector model task must be " + TASK + ", not " + task);
        }
        if (size < 32 || size > 2048 || stride < 1 || size % stride != 0) {
            throw new KonomiException("detector input " + size + " must be a multiple of its stride " + stride + " (32..2048)");
        }
        if (anchors == null || anchors.length == 0) {
            throw new KonomiException("detector needs at least one anchor");
        }
        for (double[] a : anchors) {
            if (a.length != 2 || !(a[0] > 0) || !(a[1] > 0)) {
                throw new KonomiException("detector anchors must be positive width,height pairs");
            }
        }
        checkThreshold(threshold, nms);
        if (!RGB01.equals(norm)) {
            throw new KonomiException("detector norm '" + norm + "' is not supported (only " + RGB01 + ")");
        }
    }

    public DetectorMeta(int size, int stride, double[][] anchors, double threshold, double nms) {
        this(TASK, size, stride, anchors, threshold, nms, RGB01);
    }

    /** One-line errors for bad threshold values, wherever they come from (header, configuration, command). */
    public static void checkThreshold(double threshold, double nms) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new KonomiException("detector threshold must be in [0, 1], not " + threshold);
        }
        if (!(nms > 0 && nms <= 1)) {
            throw new KonomiException("detector nms must be in (0, 1], not " + nms);
        }
    }

    /** Output cells per side. */
    public int grid() {
        return size / stride;
    }

    /** The anchors as the header writes them: {@code w:h,w:h,...}. */
    public String anchorList() {
        List<String> s = new ArrayList<>();
        for (double[] a : anchors) {
            s.add(String.format(Locale.ROOT, "%.3f:%.3f", a[0], a[1]));
        }
        return String.join(",", s);
    }

    /** The header attributes of a detector bundle (besides kind, type, name and file). */
    public Map<String, String> headerAttributes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("input", size + "x" + size + "x3");
        m.put("stride", Integer.toString(stride));
        m.put("anchors", anchorList());
        m.put("threshold", Double.toString(threshold));
        m.put("nms", Double.toString(nms));
        m.put("norm", norm);
        return m;
    }

    /** Reads the header attributes back (what the detector bundle gets from the extender); {@code where} names the bundle. */
    public static DetectorMeta fromHeader(String where, Map<String, String> attributes) {
        try {
            String input = attributes.getOrDefault("input", "");
            String[] whc = input.split("x");
            if (whc.length != 3 || !whc[0].equals(whc[1]) || !whc[2].equals("3")) {
                throw new KonomiException("input must be SxSx3, not '" + input + "'");
            }
            String list = attributes.get("anchors");
            if (list == null || list.isBlank()) {
                throw new KonomiException("anchors=\"w:h,...\" missing");
            }
            String[] parts = list.split(",");
            double[][] anchors = new double[parts.length][];
            for (int i = 0; i < parts.length; i++) {
                String[] wh = parts[i].trim().split(":");
                if (wh.length != 2) {
                    throw new KonomiException("anchor '" + parts[i] + "' is not w:h");
                }
                anchors[i] = new double[] {Double.parseDouble(wh[0]), Double.parseDouble(wh[1])};
            }
            return new DetectorMeta(TASK, Integer.parseInt(whc[0]), Integer.parseInt(attributes.getOrDefault("stride", "16")), anchors,
                    Double.parseDouble(attributes.getOrDefault("threshold", "0.3")), Double.parseDouble(attributes.getOrDefault("nms", "0.4")),
                    attributes.getOrDefault("norm", RGB01));
        } catch (NumberFormatException e) {
            throw new KonomiException(where + ": Konomi-Model has a bad number: " + e.getMessage());
        } catch (KonomiException e) {
            throw new KonomiException(where + ": Konomi-Model " + e.getMessage());
        }
    }

    /** The same as JSON to a stream (for atomic writes). */
    public void write(OutputStream out) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(out, this);
    }

    /** Whether a run folder's {@code model.json} describes a detector. */
    public static boolean isDetector(Path modelJson) {
        try {
            return TASK.equals(JSON.readTree(modelJson.toFile()).path("task").asText());
        } catch (IOException e) {
            return false;
        }
    }

    public static DetectorMeta read(Path file) {
        try {
            return JSON.readValue(file.toFile(), DetectorMeta.class);
        } catch (IOException | RuntimeException e) {
            throw new KonomiException(file + ": not a Konomi detector description: " + e.getMessage(), e);
        }
    }
}
