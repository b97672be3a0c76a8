package konomi.shell;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

import konomi.api.KonomiException;
import konomi.api.train.Augment;
import konomi.api.train.EpochReport;
import konomi.api.train.Recipe;
import konomi.api.train.Schedule;
import konomi.api.train.SplitSpec;
import konomi.api.train.TrainListener;
import konomi.api.train.TrainOptions;
import konomi.util.Text;

/**
 * Parsing and printing shared by the training commands: option values given as text (empty when the option was
 * not given, so the options record keeps its default), and progress printers.
 */
final class TrainArgs {
    private TrainArgs() {
    }

    /** Runs {@code set} with the value when the option was given. */
    static void given(String value, Consumer<String> set) {
        if (!value.isEmpty()) {
            set.accept(value);
        }
    }

    static int integer(String option, String value) {
        double v = number(option, value);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new KonomiException(option + ": not a whole number: '" + value + "'");
        }
        return (int) v;
    }

    static long whole(String option, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new KonomiException(option + ": not a whole number: '" + value + "'");
        }
    }

    static double number(String option, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new KonomiException(option + ": not a number: '" + value + "'");
        }
    }

    static Path path(String value) {
        return value.isEmpty() ? null : Path.of(value);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Prints the services' messages and, with {@code epochs}, one line per epoch. */
    static TrainListener printer(Consumer<EpochReport> epochs) {
        return new TrainListener() {
            @Override
            public void epoch(EpochReport e) {
                epochs.accept(e);
            }

            @Override
            public void message(String text) {
                System.out.println(text);
            }
        };
    }

    /** Messages only. */
    static TrainListener messages() {
        return printer(e -> { });
    }

    static String duration(double seconds) {
        return Text.duration(seconds);
    }

    /**
     * The network and recipe options the training commands share, each left at its default when not given: the
     * one parsing of them, for train:run, train:cv and train:lr-find alike. {@code --no-augment} wins over
     * {@code --augment}.
     */
    static TrainOptions.Builder recipe(String epochs, String batch, String size, String lr, String schedule, String weightDecay,
                                       String metric, String augment, boolean noAugment) {
        return recipe(TrainOptions.builder(), epochs, batch, size, lr, schedule, weightDecay, metric, augment, noAugment);
    }

    /** The same, over the given starting options (e.g. a detector's defaults). */
    static TrainOptions.Builder recipe(TrainOptions.Builder b, String epochs, String batch, String size, String lr, String schedule,
                                       String weightDecay, String metric, String augment, boolean noAugment) {
        given(epochs, v -> b.epochs(integer("--epochs", v)));
        given(batch, v -> b.batch(integer("--batch", v)));
        given(size, v -> b.size(integer("--size", v)));
        given(lr, v -> b.learningRate(number("--lr", v)));
        given(schedule, v -> b.schedule(Schedule.parse(v)));
        given(weightDecay, v -> b.weightDecay(number("--weight-decay", v)));
        given(metric, b::metric);
        given(augment, v -> b.augment(Augment.parse(v)));
        if (noAugment) {
            b.augment(Augment.NONE);
        }
        return b;
    }

    /** Knowledge distillation from --teacher, its share --distill and --temperature (each needing the teacher). */
    static Recipe teacher(Recipe r, String teacher, String distill, String temperature) {
        if (teacher.isEmpty()) {
            if (!distill.isEmpty() || !temperature.isEmpty()) {
                throw new KonomiException("--distill and --temperature need --teacher <classifier>");
            }
            return r;
        }
        return r.withTeacher(teacher, distill.isEmpty() ? r.distill() : number("--distill", distill),
                temperature.isEmpty() ? r.temperature() : number("--temperature", temperature));
    }

    /**
     * Stochastic weight averaging from --swa N and --swa-lr (default a quarter of the peak rate {@code lr}): the last N
     * epochs run at that constant rate and their weights are averaged.
     */
    static Recipe swa(Recipe r, String swa, String swaLr, double lr) {
        if (swa.isEmpty()) {
            if (!swaLr.isEmpty()) {
                throw new KonomiException("--swa-lr needs --swa <epochs>");
            }
            return r;
        }
        return r.withSwa(integer("--swa", swa), swaLr.isEmpty() ? lr / 4 : number("--swa-lr", swaLr));
    }

    /** The scorer levers from --net/--smoothing/--cutmix/--ema/--tta/--rank, each off when not given. */
    static Recipe levers(String net, String smoothing, String cutmix, String ema, String tta, String rank) {
        Recipe r = Recipe.DEFAULT;
        if (!net.isEmpty()) {
            r = r.withNet(net);
        }
        if (!smoothing.isEmpty()) {
            r = r.withSmoothing(number("--smoothing", smoothing));
        }
        if (!cutmix.isEmpty()) {
            r = r.withCutmix(number("--cutmix", cutmix));
        }
        if (!ema.isEmpty()) {
            r = r.withEma(number("--ema", ema));
        }
        if (!rank.isEmpty()) {
            r = r.withRank(number("--rank", rank));
        }
        if (!tta.isEmpty() && !tta.equals("none")) {
            if (!tta.equals("flip")) {
                throw new KonomiException("--tta must be flip or none, not " + tta);
            }
            r = r.withFlipTest(true);
        }
        return r;
    }

    /** The split from --seed/--val/--test/--groups, each left at its default when not given. */
    static SplitSpec split(String seed, String val, String test, String groups) {
        SplitSpec s = SplitSpec.defaults();
        if (!seed.isEmpty()) {
            s = s.withSeed(TrainArgs.whole("--seed", seed));
        }
        if (!val.isEmpty()) {
            s = s.withVal(TrainArgs.number("--val", val));
        }
        if (!test.isEmpty()) {
            s = s.withTest(TrainArgs.number("--test", test));
        }
        return groups.isEmpty() ? s : s.withGroups(Path.of(groups));
    }
}
