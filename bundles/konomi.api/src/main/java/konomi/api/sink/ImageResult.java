package konomi.api.sink;

import java.net.URI;
import java.util.List;

/**
 * One processed image: its faces with their scores, or the error that stopped it.
 *
 * @param id       the source's name for the image (a relative path for a folder)
 * @param location where it was read from
 * @param width    pixels (0 when the image failed before its size was known)
 * @param height   pixels
 * @param faces    the faces, most confident first, each with one score per scorer in the run's scorer order
 * @param score    the image's score: its best face's score from the run's first scorer; null without faces or scorers
 * @param label    the first classifier's label for that best face, or null
 * @param error    one line saying why the image could not be processed (without the id), or null
 */
public record ImageResult(String id, URI location, int width, int height, List<FaceResult> faces, Double score, String label,
                          String error) {
    public ImageResult {
        faces = faces == null ? List.of() : List.copyOf(faces);
    }

    /** An image that could not be read or decoded. */
    public static ImageResult failed(String id, URI location, String error) {
        return new ImageResult(id, location, 0, 0, List.of(), null, null, error);
    }

    public boolean failed() {
        return error != null;
    }
}
