package konomi.api.train;

import java.nio.file.Path;

/**
 * How a dataset is split into train, validation and test parts: by a seeded hash of each image's group, so the
 * same seed gives the same split on every machine, whatever the file order.
 *
 * @param seed   split (and network initialisation) seed
 * @param val    validation fraction (early stopping), 0.01 to 0.5
 * @param test   held-back test fraction (reported, never used for choices), 0 to 0.5
 * @param groups CSV with columns {@code file,group} keeping related images (faces of one picture) in one part,
 *               or null for one group per image
 */
public record SplitSpec(long seed, double val, double test, Path groups) {
    public static final long DEFAULT_SEED = 42;

    public SplitSpec {
        Check.range("val", val, 0.01, 0.5);
        Check.range("test", test, 0, 0.5);
    }

    /** Seed 42, 15% validation, 15% test, one group per image. */
    public static SplitSpec defaults() {
        return new SplitSpec(DEFAULT_SEED, 0.15, 0.15, null);
    }

    public SplitSpec withSeed(long seed) {
        return new SplitSpec(seed, val, test, groups);
    }

    public SplitSpec withVal(double val) {
        return new SplitSpec(seed, val, test, groups);
    }

    public SplitSpec withTest(double test) {
        return new SplitSpec(seed, val, test, groups);
    }

    public SplitSpec withGroups(Path groups) {
        return new SplitSpec(seed, val, test, groups);
    }
}
