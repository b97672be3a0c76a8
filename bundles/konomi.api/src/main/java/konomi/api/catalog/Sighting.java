package konomi.api.catalog;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import konomi.api.sink.FaceResult;
import konomi.api.sink.ModelRef;

/**
 * One image as a run saw it.
 *
 * @param source   the location the run read (a folder, a feed URL ...)
 * @param location where this image itself was read from
 * @param id       the source's name for it (a relative path, a URL)
 * @param phash    its 64-bit perceptual hash
 * @param width    pixels
 * @param height   pixels
 * @param bytes    size of the encoded image, or -1 when unknown
 * @param faces    its faces with one score per scorer, in {@code scorers} order
 * @param scorers  the scorers (name and version) that scored the faces; may be empty
 * @param detector the detector that found the faces, or null when the image was taken as a face
 * @param seen     when
 */
public record Sighting(String source, URI location, String id, long phash, int width, int height, long bytes, List<FaceResult> faces,
                       List<ModelRef> scorers, ModelRef detector, Instant seen) {
    public Sighting {
        faces = faces == null ? List.of() : List.copyOf(faces);
        scorers = scorers == null ? List.of() : List.copyOf(scorers);
    }
}
