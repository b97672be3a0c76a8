package konomi.api.sink;

import java.util.List;

import konomi.api.Face;
import konomi.api.Score;

/**
 * One face of an image and its scores, one per scorer of the run, in the run's scorer order.
 */
public record FaceResult(Face face, List<Score> scores) {
    public FaceResult {
        scores = scores == null ? List.of() : List.copyOf(scores);
    }
}
