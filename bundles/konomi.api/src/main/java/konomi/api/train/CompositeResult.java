package konomi.api.train;

import java.nio.file.Path;

/**
 * What {@link Compositor#compose} wrote.
 *
 * @param output    the output folder
 * @param boxes     its {@code boxes.csv}
 * @param pictures  pictures written
 * @param faces     face boxes written
 * @param negatives pictures without any face
 * @param seconds   wall time
 */
public record CompositeResult(Path output, Path boxes, int pictures, int faces, int negatives, double seconds) {
}
