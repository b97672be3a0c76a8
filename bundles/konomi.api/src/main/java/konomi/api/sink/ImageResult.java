package konomi.api.sink;

import java.util.List;

import konomi.api.Face;
import konomi.api.Score;

/**
 * One processed image: its faces with their scores (parallel lists), or the error that stopped it.
 */
public record ImageResult(String id, int width, int height, List<Face> faces, List<List<Score>> scores, String error) {
    public ImageResult {
        faces = faces == null ? List.of() : List.copyOf(faces);
        scores = scores == null ? List.of() : List.copyOf(scores);
    }

    public boolean failed() {
        return error != null;
    }
}
