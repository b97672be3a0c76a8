package konomi.api.pipeline;

import java.util.List;

import konomi.api.sink.ModelRef;

/**
 * One detector's quality against labelled boxes, PASCAL VOC style (all-point interpolated AP), and its speed.
 *
 * @param detector      the detector measured
 * @param images        images read without error
 * @param truths        labelled faces
 * @param detections    detections over all images
 * @param truePositives detections matching a labelled box not matched before, at IoU >= {@code iou}
 * @param recall        true positives / labelled faces
 * @param precision     true positives / detections
 * @param ap            area under the interpolated precision/recall curve over the confidence ranking, at {@code iou}
 * @param iou           the IoU threshold used
 * @param aps           AP at each threshold the options asked for, in their order, from the same detections
 * @param seconds       wall time of the pass: reading, decoding and detecting every image
 * @param messages      one line per image that could not be read
 */
public record DetectionEvaluation(ModelRef detector, int images, int truths, int detections, int truePositives, double recall,
                                  double precision, double ap, double iou, List<ApAt> aps, double seconds, List<String> messages) {
    /** AP at one IoU threshold. */
    public record ApAt(double iou, double ap) {
    }

    public DetectionEvaluation {
        aps = aps == null ? List.of() : List.copyOf(aps);
        messages = messages == null ? List.of() : List.copyOf(messages);
    }

    /** Images per second of wall time (decode and detect). */
    public double imagesPerSecond() {
        return images / Math.max(seconds, 1e-9);
    }
}
