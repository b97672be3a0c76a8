package konomi.nn.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import konomi.api.Box;
import konomi.api.Face;

/**
 * Turns the centre head's output ({@link CentreLoss}'s channels) into faces in picture pixels: every heatmap cell at
 * or above the threshold that is a local maximum of its 3x3 neighbourhood is a face centre, its box from the offset
 * and log size there; then greedy NMS (peaks rarely overlap, but two peaks can sit on one large face).
 */
public final class CentreDecoder {
    private CentreDecoder() {
    }

    public static List<Face> faces(INDArray output, int example, DetectorMeta meta, Placement placement, int width, int height,
                                   double threshold, double nms) {
        int g = (int) output.size(2), gw = (int) output.size(3), plane = g * gw;
        float[] v = output.get(NDArrayIndex.point(example)).dup('c').data().asFloat();
        double logit = Math.log(Math.max(1e-6, threshold) / Math.max(1e-6, 1 - threshold));
        double s = meta.stride();
        List<Face> found = new ArrayList<>();
        for (int y = 0; y < g; y++) {
            for (int x = 0; x < gw; x++) {
                float z = v[y * gw + x];
                if (z < logit || !peak(v, gw, g, x, y, z)) {
                    continue;
                }
                int i = y * gw + x;
                double cx = (x + v[plane + i]) * s, cy = (y + v[2 * plane + i]) * s;
                double w = Math.exp(Math.min(8, v[3 * plane + i])) * s, h = Math.exp(Math.min(8, v[4 * plane + i])) * s;
                Box b = placement.toImage(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, width, height);
                if (b != null) {
                    found.add(new Face(b, 1 / (1 + Math.exp(-z))));
                }
            }
        }
        found.sort(Comparator.comparingDouble(Face::confidence).reversed());
        List<Face> kept = new ArrayList<>();
        for (Face f : found) {
            if (kept.stream().noneMatch(k -> k.box().iou(f.box()) > nms)) {
                kept.add(f);
            }
        }
        return kept;
    }

    /** Whether no neighbour is higher (ties: the first in reading order wins). */
    private static boolean peak(float[] v, int gw, int g, int x, int y, float z) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int nx = x + dx, ny = y + dy;
                if ((dx == 0 && dy == 0) || nx < 0 || ny < 0 || nx >= gw || ny >= g) {
                    continue;
                }
                float n = v[ny * gw + nx];
                if (n > z || (n == z && (dy < 0 || (dy == 0 && dx < 0)))) {
                    return false;
                }
            }
        }
        return true;
    }
}
