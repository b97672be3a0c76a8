package konomi.api.train;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Options of {@link Evaluator#evaluate}. By default the evaluator measures exactly the test files the run recorded
 * ({@code split.json} in the run folder). Any split value given here, or {@link Part#ALL}, overrides that record:
 * the split is then drawn again, the values not given taken from the record (or the defaults).
 *
 * @param part    the held-back test part, or all images
 * @param seed    split seed, instead of the recorded one
 * @param val     validation fraction, instead of the recorded one
 * @param test    test fraction, instead of the recorded one
 * @param groups  groups CSV, instead of the recorded one
 * @param top     images shown among the top losses
 * @param output  report folder, or null for {@code <model folder>/eval}
 * @param workers   image-loading threads
 * @param threshold for a detector: a confidence threshold to report recall and precision at, besides the model's own
 *                  (since 0.6)
 */
public record EvalOptions(Part part, OptionalLong seed, OptionalDouble val, OptionalDouble test, Optional<Path> groups, int top,
                          Path output, int workers, OptionalDouble threshold) {

    /** Which images are measured. */
    public enum Part {
        /** The part training held back. */
        TEST,
        /** Every image of the dataset. */
        ALL
    }

    public EvalOptions {
        Objects.requireNonNull(part, "part");
        seed = seed == null ? OptionalLong.empty() : seed;
        val = val == null ? OptionalDouble.empty() : val;
        test = test == null ? OptionalDouble.empty() : test;
        groups = groups == null ? Optional.empty() : groups;
        val.ifPresent(v -> Check.range("val", v, 0.01, 0.5));
        test.ifPresent(v -> Check.range("test", v, 0, 0.5));
        Check.range("top", top, 0, 10_000);
        Check.range("workers", workers, 1, 64);
        threshold = threshold == null ? OptionalDouble.empty() : threshold;
        threshold.ifPresent(v -> Check.range("threshold", v, 0, 1));
    }

    /** The options without a detector threshold (as before 0.6). */
    public EvalOptions(Part part, OptionalLong seed, OptionalDouble val, OptionalDouble test, Optional<Path> groups, int top, Path output,
                       int workers) {
        this(part, seed, val, test, groups, top, output, workers, OptionalDouble.empty());
    }

    /** The recorded test part, 12 top losses, the default report folder. */
    public static EvalOptions defaults() {
        return new EvalOptions(Part.TEST, OptionalLong.empty(), OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty(), 12,
                null, 2);
    }

    /** Whether these options override the run's recorded split. */
    public boolean overridesSplit() {
        return part == Part.ALL || seed.isPresent() || val.isPresent() || test.isPresent() || groups.isPresent();
    }

    public EvalOptions withPart(Part v) {
        return new EvalOptions(v, seed, val, test, groups, top, output, workers, threshold);
    }

    public EvalOptions withSeed(long v) {
        return new EvalOptions(part, OptionalLong.of(v), val, test, groups, top, output, workers, threshold);
    }

    public EvalOptions withVal(double v) {
        return new EvalOptions(part, seed, OptionalDouble.of(v), test, groups, top, output, workers, threshold);
    }

    public EvalOptions withTest(double v) {
        return new EvalOptions(part, seed, val, OptionalDouble.of(v), groups, top, output, workers, threshold);
    }

    public EvalOptions withGroups(Path v) {
        return new EvalOptions(part, seed, val, test, Optional.of(v), top, output, workers, threshold);
    }

    public EvalOptions withTop(int v) {
        return new EvalOptions(part, seed, val, test, groups, v, output, workers, threshold);
    }

    public EvalOptions withOutput(Path v) {
        return new EvalOptions(part, seed, val, test, groups, top, v, workers, threshold);
    }

    public EvalOptions withWorkers(int v) {
        return new EvalOptions(part, seed, val, test, groups, top, output, v, threshold);
    }

    /** @since 0.6 */
    public EvalOptions withThreshold(double v) {
        return new EvalOptions(part, seed, val, test, groups, top, output, workers, OptionalDouble.of(v));
    }
}
