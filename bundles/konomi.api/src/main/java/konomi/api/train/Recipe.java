package konomi.api.train;

import java.util.Locale;

import konomi.api.KonomiException;

/**
 * The scorer-training levers beyond learning rate and schedule, each off by default so that a recipe names what it
 * adds (README's levers table measures each).
 *
 * @param net       the network: {@code face} (Konomi's face network), {@code wide} (the same shape, 1.5x wider), {@code deep}
 *                  (two convs in every stage) or {@code res} ({@code deep} with residual shortcuts)
 * @param smoothing label smoothing for classification: the true class gets {@code 1 - s}, the others share {@code s}
 * @param cutmix    the share of batches in which a random rectangle of each picture is replaced by another picture's
 *                  (CutMix, Yun et al. 2019); labels or targets mix by area
 * @param ema       decay of an exponential moving average of the weights (0: off); the average is what is validated
 *                  and saved
 * @param flipTest  validate, test and score on the picture and its mirror image, averaging the outputs
 * @param rank      regressors: weight of a pairwise ranking loss beside the squared error (0: off)
 * @param viaLabels regressors started from a classifier ({@code init}): predict from its label probabilities (the
 *                  classifier frozen, one weight per label learned) instead of from its features
 * @param teacher   classifiers: a trained classifier of the same labels (an installed scorer's name, a model.zip or a
 *                  train:run folder) whose outputs on each training batch join the labels (knowledge distillation);
 *                  several, comma-separated, are an ensemble whose mean probabilities are the teacher; null: off
 * @param distill   with a teacher: the share of the training target that is the teacher's (0-1)
 * @param temperature with a teacher: its probabilities are softened as {@code p^(1/T)}, renormalised (softmax at T)
 * @param swa       stochastic weight averaging (Izmailov et al. 2018): the last {@code swa} epochs run at the constant
 *                  rate {@code swaLr} after the schedule, which ends that many epochs earlier, and the weights at the end
 *                  of each are averaged equally; that average is what is validated and saved (0: off)
 * @param swaLr     with {@code swa}: the constant learning rate of the averaged epochs
 */
public record Recipe(String net, double smoothing, double cutmix, double ema, boolean flipTest, double rank, boolean viaLabels,
                     String teacher, double distill, double temperature, int swa, double swaLr) {
    public static final String FACE = "face", WIDE = "wide", DEEP = "deep", RES = "res", SE = "se", INVERTED = "inverted";
    public static final Recipe DEFAULT = new Recipe(FACE, 0, 0, 0, false, 0, false);

    public Recipe {
        net = net == null || net.isBlank() ? FACE : net.trim().toLowerCase(Locale.ROOT);
        if (!java.util.List.of(FACE, WIDE, DEEP, RES, SE, INVERTED).contains(net)) {
            throw new KonomiException("--net must be " + FACE + ", " + WIDE + ", " + DEEP + ", " + RES + ", " + SE + " or " + INVERTED + ", not " + net);
        }
        Check.range("label smoothing", smoothing, 0, 0.5);
        Check.range("cutmix", cutmix, 0, 1);
        if (ema != 0) {
            Check.range("ema", ema, 0.5, 0.99999);
        }
        Check.range("ranking loss weight", rank, 0, 100);
        teacher = teacher == null || teacher.isBlank() ? null : teacher.trim();
        Check.range("--distill (the teacher's share)", distill, 0, 1);
        Check.range("--temperature", temperature, 0.1, 20);
        Check.range("--swa (epochs)", swa, 0, 10_000);
        if (swa > 0) {
            Check.range("--swa-lr", swaLr, 1e-7, 10);
        }
    }

    /** Without a teacher (the recipe before distillation). */
    public Recipe(String net, double smoothing, double cutmix, double ema, boolean flipTest, double rank, boolean viaLabels) {
        this(net, smoothing, cutmix, ema, flipTest, rank, viaLabels, null, 0.5, 1, 0, 0);
    }

    /** Without weight averaging of the last epochs (the recipe before SWA). */
    public Recipe(String net, double smoothing, double cutmix, double ema, boolean flipTest, double rank, boolean viaLabels,
                  String teacher, double distill, double temperature) {
        this(net, smoothing, cutmix, ema, flipTest, rank, viaLabels, teacher, distill, temperature, 0, 0);
    }

    public Recipe withNet(String v) {
        return new Recipe(v, smoothing, cutmix, ema, flipTest, rank, viaLabels, teacher, distill, temperature, swa, swaLr);
    }

    public Recipe withSmoothing(double v) {
        return new Recipe(net, v, cutmix, ema, flipTest, rank, viaLabels, teacher, distill, temperature, swa, swaLr);
    }

    public Recipe withCutmix(double v) {
        return new Recipe(net, smoothing, v, ema, flipTest, rank, viaLabels, teacher, distill, temperature, swa, swaLr);
    }

    public Recipe withEma(double v) {
        return new Recipe(net, smoothing, cutmix, v, flipTest, rank, viaLabels, teacher, distill, temperature, swa, swaLr);
    }

    public Recipe withFlipTest(boolean v) {
        return new Recipe(net, smoothing, cutmix, ema, v, rank, viaLabels, teacher, distill, temperature, swa, swaLr);
    }

    public Recipe withViaLabels(boolean v) {
        return new Recipe(net, smoothing, cutmix, ema, flipTest, rank, v, teacher, distill, temperature, swa, swaLr);
    }

    public Recipe withRank(double v) {
        return new Recipe(net, smoothing, cutmix, ema, flipTest, v, viaLabels, teacher, distill, temperature, swa, swaLr);
    }

    /** Averages the weights of the last {@code epochs} epochs, run at the constant rate {@code lr} (SWA). */
    public Recipe withSwa(int epochs, double lr) {
        return new Recipe(net, smoothing, cutmix, ema, flipTest, rank, viaLabels, teacher, distill, temperature, epochs, lr);
    }

    /** Distils from {@code teacher}: its share of the target and the temperature of its probabilities. */
    public Recipe withTeacher(String teacher, double distill, double temperature) {
        return new Recipe(net, smoothing, cutmix, ema, flipTest, rank, viaLabels, teacher, distill, temperature, swa, swaLr);
    }
}
