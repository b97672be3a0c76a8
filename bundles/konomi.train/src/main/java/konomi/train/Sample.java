package konomi.train;

import java.nio.file.Path;

/** One training example: the file, its id (relative path), class index or target value, split group. */
record Sample(Path file, String id, int label, double target, String group) {
}
