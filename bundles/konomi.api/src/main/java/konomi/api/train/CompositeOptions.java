package konomi.api.train;

import java.nio.file.Path;
import java.util.Objects;

import konomi.api.KonomiException;

/**
 * Options of {@link Compositor#compose}. Start from {@link #builder(Path)}.
 *
 * @param data          the shared data folder holding the face crop and background datasets
 * @param output        the output folder: new, empty, or an earlier composite output (replaced)
 * @param count         pictures to make
 * @param seed          seed; picture {@code i} draws from its own generator seeded by (seed, i)
 * @param maxFaces      faces per picture are drawn from 1 to this
 * @param negatives     share of pictures with no face at all
 * @param minFace       smallest tight face box side in pixels
 * @param maxFace       largest tight face box side as a share of the picture's shorter side
 * @param minSide       smallest longest side of a picture in pixels
 * @param maxSide       largest longest side of a picture in pixels
 * @param maxRotation   faces are rotated by up to this many degrees either way
 * @param illustrations share of backgrounds that are illustrations with their labelled faces painted over (the rest
 *                      are mosaics of non-face patches)
 * @param quality       JPEG quality
 * @param workers       threads (the output does not depend on it)
 */
public record CompositeOptions(Path data, Path output, int count, long seed, int maxFaces, double negatives, int minFace,
        double maxFace, int minSide, int maxSide, double maxRotation, double illustrations, int quality, int workers) {

    public CompositeOptions {
        Objects.requireNonNull(data, "data");
        if (output == null) {
            throw new KonomiException("--out is required: the folder to write images/ and boxes.csv to");
        }
        Check.range("n", count, 1, 10_000_000);
        Check.range("faces", maxFaces, 1, 16);
        Check.range("negatives", negatives, 0, 1);
        Check.range("min face", minFace, 8, 1024);
        Check.range("max face", maxFace, 0.02, 0.9);
        Check.range("min side", minSide, 64, 4096);
        Check.range("max side", maxSide, minSide, 4096);
        Check.range("rotation", maxRotation, 0, 45);
        Check.range("illustrations", illustrations, 0, 1);
        Check.range("quality", quality, 30, 100);
        Check.range("workers", workers, 1, 256);
        if (minFace > maxFace * minSide) {
            throw new KonomiException("min face " + minFace + " px is larger than the largest face (" + maxFace
                    + " of a " + minSide + " px side)");
        }
    }

    /** The shared data folder when none is given: {@code ../shared/data} from the working folder. */
    public static final Path DEFAULT_DATA = Path.of("../shared/data");

    /**
     * Defaults: data {@link #DEFAULT_DATA}, 100 pictures, seed 1, 1-4 faces, 5% negatives, faces 20 px to half the
     * shorter side, longest side 512-800 px, rotation up to 20 degrees, half the backgrounds illustrations, JPEG
     * quality 92, up to 4 workers.
     */
    public static Builder builder(Path output) {
        return new Builder().output(output);
    }

    /** Builds {@link CompositeOptions}, checked once all are set. */
    public static final class Builder {
        private Path data = DEFAULT_DATA;
        private Path output;
        private int count = 100;
        private long seed = 1;
        private int maxFaces = 4;
        private double negatives = 0.05;
        private int minFace = 20;
        private double maxFace = 0.5;
        private int minSide = 512;
        private int maxSide = 800;
        private double maxRotation = 20;
        private double illustrations = 0.5;
        private int quality = 92;
        private int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

        private Builder() {
        }

        public Builder data(Path v) {
            data = v;
            return this;
        }

        public Builder output(Path v) {
            output = v;
            return this;
        }

        public Builder count(int v) {
            count = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder maxFaces(int v) {
            maxFaces = v;
            return this;
        }

        public Builder negatives(double v) {
            negatives = v;
            return this;
        }

        public Builder minFace(int v) {
            minFace = v;
            return this;
        }

        public Builder maxFace(double v) {
            maxFace = v;
            return this;
        }

        public Builder minSide(int v) {
            minSide = v;
            return this;
        }

        public Builder maxSide(int v) {
            maxSide = v;
            return this;
        }

        public Builder maxRotation(double v) {
            maxRotation = v;
            return this;
        }

        public Builder illustrations(double v) {
            illustrations = v;
            return this;
        }

        public Builder quality(int v) {
            quality = v;
            return this;
        }

        public Builder workers(int v) {
            workers = v;
            return this;
        }

        public CompositeOptions build() {
            return new CompositeOptions(data, output, count, seed, maxFaces, negatives, minFace, maxFace, minSide, maxSide,
                    maxRotation, illustrations, quality, workers);
        }
    }
}
