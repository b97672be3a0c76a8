package konomi.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.KonomiException;
import konomi.api.gen.InputVisualiser;
import konomi.api.gen.VizOptions;
import konomi.api.gen.VizResult;
import konomi.imaging.Images;
import konomi.util.AtomicFile;

/** {@code viz:input}: the picture an installed classifier finds most like one of its labels. */
@Component(service = VizCommand.class, property = {"osgi.command.scope=viz", "osgi.command.function=input"})
public class VizCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile InputVisualiser visualiser;

    @Descriptor("draw the input a classifier finds most like a label (activation maximisation with jitter, blur and L2) as a PNG")
    public void input(
            @Descriptor("the PNG to write (never replaces a file)") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("gradient steps") @Parameter(names = {"--steps"}, absentValue = "256") int steps,
            @Descriptor("step size") @Parameter(names = {"--lr"}, absentValue = "0.05") double lr,
            @Descriptor("random shift before each step, pixels") @Parameter(names = {"--jitter"}, absentValue = "4") int jitter,
            @Descriptor("Gaussian blur sigma (0: none)") @Parameter(names = {"--blur"}, absentValue = "0.5") double blur,
            @Descriptor("steps between blurs") @Parameter(names = {"--blur-every"}, absentValue = "4") int blurEvery,
            @Descriptor("pull towards grey per step") @Parameter(names = {"--l2"}, absentValue = "0.01") double l2,
            @Descriptor("seed of the starting noise") @Parameter(names = {"--seed"}, absentValue = "1") long seed,
            @Descriptor("saved size as a multiple of the network's input") @Parameter(names = {"--scale"}, absentValue = "2") int scale,
            @Descriptor("an installed classifier (model:list)") String classifier,
            @Descriptor("one of its labels") String label) {
        if (out.isEmpty()) {
            throw new IllegalArgumentException("viz:input needs --out <file.png>");
        }
        Path file = Path.of(out);
        if (Files.exists(file)) {
            throw new KonomiException(file + ": already exists; viz:input never replaces files");
        }
        InputVisualiser v = visualiser;
        if (v == null) {
            throw new KonomiException("no input visualiser installed (bundle konomi.gen.viz)");
        }
        VizResult r = v.visualise(classifier, label, new VizOptions(steps, lr, jitter, blur, blurEvery, l2, seed, scale));
        AtomicFile.write(file, Images.png(r.image()));
        System.out.printf(Locale.ROOT, "%s: %s gives %s probability %.3f (%dx%d)%n", file, classifier, label, r.probability(),
                r.image().width(), r.image().height());
    }
}
