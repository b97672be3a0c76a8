package konomi.train;

import java.nio.file.Path;

import konomi.api.Box;

/**
 * One training example: the file, its id (relative path), class index or target value, split group, and the face box
 * to crop from the picture (with the margin score:run gives detected faces), or null for a picture that is the face.
 */
record Sample(Path file, String id, int label, double target, String group, Box face) {
    /** A picture that is the face (a face-crop dataset). */
    Sample(Path file, String id, int label, double target, String group) {
        this(file, id, label, target, group, null);
    }
}
