package konomi.api.pipeline;

import java.nio.file.Path;
import java.util.List;

import konomi.api.KonomiException;

/**
 * What {@link DetectorEvaluator#evaluate} measures.
 *
 * @param location  folder of labelled images
 * @param labels    the labels: a boxes CSV ({@code file,x1,y1,x2,y2}) or a dataset folder holding {@code boxes.csv} or
 *                  YOLO {@code labels/}; null for {@code location} itself
 * @param detectors detector names (each resolves to its newest version), or empty for the active detector
 * @param iou       overlap a detection needs to match a labelled box, for recall, precision and
 *                  {@link DetectionEvaluation#ap()}
 * @param apIous    IoU thresholds at which AP is also computed ({@link DetectionEvaluation#aps()}), e.g. 0.5 and 0.3
 */
public record DetectionEvalOptions(String location, Path labels, List<String> detectors, double iou, List<Double> apIous) {
    /** AP columns of {@code detect:eval}: the usual 0.5, and 0.3 for detectors whose boxes are looser than the labels. */
    public static final List<Double> DEFAULT_AP_IOUS = List.of(0.5, 0.3);

    public DetectionEvalOptions {
        if (location == null || location.isBlank()) {
            throw new KonomiException("no folder of labelled images");
        }
        detectors = detectors == null ? List.of() : List.copyOf(detectors);
        apIous = apIous == null ? DEFAULT_AP_IOUS : List.copyOf(apIous);
        check("--iou", iou);
        apIous.forEach(v -> check("AP IoU", v));
        if (detectors.stream().distinct().count() != detectors.size()) {
            throw new KonomiException("--detectors names a detector twice: " + String.join(",", detectors));
        }
    }

    /** The active detector at {@code iou}, AP also at {@link #DEFAULT_AP_IOUS}. */
    public static DetectionEvalOptions of(String location, Path labels, double iou) {
        return new DetectionEvalOptions(location, labels, List.of(), iou, DEFAULT_AP_IOUS);
    }

    private static void check(String what, double v) {
        if (!(v > 0 && v <= 1)) {
            throw new KonomiException(what + " must be in (0, 1], not " + v);
        }
    }
}
