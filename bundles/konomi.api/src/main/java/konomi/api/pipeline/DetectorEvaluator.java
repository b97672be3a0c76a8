package konomi.api.pipeline;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/** Measures a detector against labelled face boxes ({@code detect:eval}). */
@ProviderType
public interface DetectorEvaluator {
    /**
     * Runs the detector over the images and matches its detections to the labelled boxes.
     *
     * @param location folder of labelled images
     * @param boxes    CSV with header {@code file,x1,y1,x2,y2} in original pixels
     * @param detector detector name, or null for the active one
     * @param iou      overlap a detection needs to match a labelled box
     * @param listener progress; may be null
     * @throws konomi.api.KonomiException naming the file and line when the boxes file is unusable
     */
    DetectionEvaluation evaluate(String location, Path boxes, String detector, double iou, ProgressListener listener);
}
