package konomi.api.pipeline;

/**
 * One of a run's best images, for the ranked table.
 *
 * @param id    the image's name in its source
 * @param score its best face's score from the first scorer, or null without faces
 * @param faces how many faces it has
 * @param label the first classifier's label for its best face, or null
 */
public record RankedImage(String id, Double score, int faces, String label) {
}
