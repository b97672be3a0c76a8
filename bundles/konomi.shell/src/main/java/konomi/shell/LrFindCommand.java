package konomi.shell;

import java.nio.file.Path;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.KonomiException;
import konomi.api.train.LrFindOptions;
import konomi.api.train.LrFindResult;
import konomi.api.train.LrFinder;
import konomi.api.train.TrainOptions;

/**
 * {@code train:lr-find}. A command of its own because a dash cannot be in a Java method name: Gogo calls
 * {@code _main} when no method matches the function.
 */
@Component(service = LrFindCommand.class, property = {"osgi.command.scope=train", "osgi.command.function=lr-find"})
public class LrFindCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile LrFinder finder;

    @Descriptor("learning-rate finder: trains a fresh network while the rate grows from --min to --max, then plots the "
            + "smoothed loss against the rate and suggests one (steepest descent); --out writes lr-find.csv")
    public void _main(
            @Descriptor("smallest rate") @Parameter(names = {"--min"}, absentValue = "") String min,
            @Descriptor("largest rate") @Parameter(names = {"--max"}, absentValue = "") String max,
            @Descriptor("batches") @Parameter(names = {"--steps"}, absentValue = "") String steps,
            @Descriptor("batch size") @Parameter(names = {"-b", "--batch"}, absentValue = "") String batch,
            @Descriptor("input size in pixels (square)") @Parameter(names = {"--size"}, absentValue = "") String size,
            @Descriptor("split seed (the network trains on the training part)") @Parameter(names = {"--seed"}, absentValue = "") String seed,
            @Descriptor("CSV with columns file and group") @Parameter(names = {"--groups"}, absentValue = "") String groups,
            @Descriptor("folder for lr-find.csv") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("the command's own name (Gogo passes it to _main)") String command,
            @Descriptor("dataset folder or CSV") String dataset) {
        LrFinder f = finder;
        if (f == null) {
            throw new KonomiException("no learning-rate finder installed (bundle konomi.train)");
        }
        TrainOptions training = TrainArgs.recipe("", batch, size, "", "", "", "", "", false).split(TrainArgs.split(seed, "", "", groups)).build();
        LrFindOptions.Builder b = LrFindOptions.builder().training(training).output(TrainArgs.path(out));
        TrainArgs.given(min, v -> b.minLr(TrainArgs.number("--min", v)));
        TrainArgs.given(max, v -> b.maxLr(TrainArgs.number("--max", v)));
        TrainArgs.given(steps, v -> b.steps(TrainArgs.integer("--steps", v)));
        LrFindResult r = f.find(Path.of(dataset), b.build(), TrainArgs.messages());
        System.out.print(r.plot());
        System.out.printf(Locale.ROOT, "suggested learning rate %.2g (steepest descent); lowest loss at %.2g (use about a tenth of it)%n",
                r.suggested(), r.lowest());
        if (r.csv() != null) {
            System.out.println("wrote " + r.csv());
        }
    }
}
