package konomi.api;

/**
 * A face found by a detector: its box in original pixels and a confidence in [0, 1] that ranks
 * detections of one detector (higher is more certain; not a calibrated probability).
 */
public record Face(Box box, double confidence) {
}
