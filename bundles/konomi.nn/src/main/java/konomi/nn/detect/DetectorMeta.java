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
 * How to use a trained detector: its head, the square input side, the output stride, the anchor boxes of a YOLOv2
 * head (width and height in output cells) and the default confidence threshold and NMS overlap. Written as {@code model.json} (task
 * {@code detection}) beside {@code model.zip}; a detector bundle carries the same in its {@code Konomi-Model} header.
 *
 * @param task      always {@code detection}
 * @param size      input side in pixels; pictures are letterboxed into it
 * @param stride    input pixels per output cell
 * @param anchors   anchor boxes as {width, height} in output cells
 * @param threshold default confidence threshold
 * @param nms       default IoU above which the weaker of two overlapping detections is dropped
 * @param norm      input normalisation ({@code rgb01})
 * @param head      {@code yolo2} (anchors, DL4J's {@code Yolo2OutputLayer}) or {@code centre} (a heatmap of face
 *                  centres with offsets and sizes, {@link CentreLoss}); absent means {@code yolo2}, the first head
 */
public record DetectorMeta(String task, int size, int stride, double[][] anchors, double threshold, double nms, String norm, String head) {
    public static final String TASK = "detection";
    public static final String RGB01 = "rgb01";
    public static final String YOLO2 = "yolo2", CENTRE = "centre";
    private static final ObjectMapper JSON = new ObjectMapper();

    public DetectorMeta {
        task = task == null ? TASK : task;
        norm = norm == null ? RGB01 : norm;
        head = head == null ? YOLO2 : head;
        anchors = anchors == null ? new double[0][] : anchors;
        if (!YOLO2.equals(head) && !CENTRE.equals(head)) {
            throw new KonomiException("detector head must be " + YOLO2 + " or " + CENTRE + ", not " + head);
        }
        if (!TASK.equals(task)) {
            throw new KonomiException("detector model task must be " + TASK + ", not " + task);
        }
        if (size < 32 || size > 2048 || stride < 1 || size % stride != 0) {
            throw new KonomiException("detector input " + size + " must be a multiple of its stride " + stride + " (32..2048)");
        }
        if (YOLO2.equals(head) && anchors.length == 0) {
            throw new KonomiException("a yolo2 detector needs at least one anchor");
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

    /** A YOLOv2 detector. */
    public DetectorMeta(int size, int stride, double[][] anchors, double threshold, double nms) {
        this(TASK, size, stride, anchors, threshold, nms, RGB01, YOLO2);
    }

    /** A centre-heatmap detector (no anchors). */
    public static DetectorMeta centre(int size, int stride, double threshold, double nms) {
        return new DetectorMeta(TASK, size, stride, new double[0][], threshold, nms, RGB01, CENTRE);
    }

    /** The same with another default threshold (tuned on validation pictures). */
    public DetectorMeta withThreshold(double t) {
        return new DetectorMeta(task, size, stride, anchors, t, nms, norm, head);
    }

    public boolean centred() {
        return CENTRE.equals(head);
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
        m.put("head", head);
        m.put("stride", Integer.toString(stride));
        if (anchors.length > 0) {
            m.put("anchors", anchorList());
        }
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
            String head = attributes.getOrDefault("head", YOLO2);
            String list = attributes.getOrDefault("anchors", "");
            if (list.isBlank() && YOLO2.equals(head)) {
                throw new KonomiException("anchors=\"w:h,...\" missing");
            }
            String[] parts = list.isBlank() ? new String[0] : list.split(",");
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
                    attributes.getOrDefault("norm", RGB01), head);
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
