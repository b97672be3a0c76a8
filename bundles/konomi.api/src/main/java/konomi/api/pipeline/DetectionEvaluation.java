package konomi.api.pipeline;

import java.util.List;

import konomi.api.sink.ModelRef;

/**
 * Detection quality against labelled boxes, PASCAL VOC style (all-point interpolated AP).
 *
 * @param detector      the detector measured
 * @param images        images read without error
 * @param truths        labelled faces
 * @param detections    detections over all images
 * @param truePositives detections matching a labelled box not matched before, at IoU >= {@code iou}
 * @param recall        true positives / labelled faces
 * @param precision     true positives / detections
 * @param ap            area under the interpolated precision/recall curve over the confidence ranking
 * @param iou           the IoU threshold used
 * @param messages      one line per image that could not be read
 */
public record DetectionEvaluation(ModelRef detector, int images, int truths, int detections, int truePositives, double recall,
                                  double precision, double ap, double iou, List<String> messages) {
    public DetectionEvaluation {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}
