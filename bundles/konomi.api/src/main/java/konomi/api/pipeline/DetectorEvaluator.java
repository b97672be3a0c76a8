package konomi.api.pipeline;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Measures detectors against labelled face boxes ({@code detect:eval}). */
@ProviderType
public interface DetectorEvaluator {
    /**
     * Runs each detector once over the images (detection only) and matches its detections to the labelled boxes:
     * recall and precision at {@link DetectionEvalOptions#iou()}, AP at each of {@link DetectionEvalOptions#apIous()}
     * from the same detections.
     *
     * @param listener progress and results of every pass, detector after detector; may be null
     * @return one evaluation per detector, in the order asked for
     * @throws konomi.api.KonomiException naming the file and line when the labels are unusable, or, before any
     *                                    detector runs, naming an unknown detector and listing the installed ones
     */
    List<DetectionEvaluation> evaluate(DetectionEvalOptions options, ProgressListener listener);
}
