package konomi.nn.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.deeplearning4j.nn.layers.objdetect.DetectedObject;
import org.deeplearning4j.nn.layers.objdetect.YoloUtils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import konomi.api.Box;
import konomi.api.Face;

/**
 * Turns the output of a {@code Yolo2OutputLayer} (activated: position in the cell, size in cells, objectness) into
 * faces in picture pixels: DL4J's own decoding and NMS ({@link YoloUtils}), then the placement's inverse.
 */
public final class YoloDecoder {
    private YoloDecoder() {
    }

    /** The anchors as the {@code [B, 2]} array the output layer and the decoder take. */
    public static INDArray priors(DetectorMeta meta) {
        return Nd4j.create(meta.anchors());
    }

    /**
     * The faces of example {@code example} of a batch's output, most confident first.
     *
     * @param output    the network's output {@code [N, B*6, G, G]}
     * @param placement where the picture was drawn in the input
     */
    public static List<Face> faces(INDArray output, int example, DetectorMeta meta, INDArray priors, Placement placement, int width,
                                   int height, double threshold, double nms) {
        INDArray one = output.get(org.nd4j.linalg.indexing.NDArrayIndex.point(example)).reshape(1, output.size(1), output.size(2), output.size(3));
        List<DetectedObject> objects = YoloUtils.getPredictedObjects(priors, one, threshold, nms);
        List<Face> faces = new ArrayList<>(objects.size());
        double s = meta.stride();
        for (DetectedObject o : objects) {
            double[] tl = o.getTopLeftXY(), br = o.getBottomRightXY();
            Box b = placement.toImage(tl[0] * s, tl[1] * s, br[0] * s, br[1] * s, width, height);
            if (b != null) {
                faces.add(new Face(b, Math.min(1, Math.max(0, o.getConfidence()))));
            }
        }
        faces.sort(Comparator.comparingDouble(Face::confidence).reversed());
        return faces;
    }
}
