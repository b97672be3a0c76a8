package konomi.shell;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.util.AtomicFile;
import konomi.api.train.TrainRequest;

/**
 * {@code train:lr-find}. A command of its own because a dash cannot be in a Java method name: Gogo calls
 * {@code _main} when no method matches the function.
 */
@Component(service = LrFindCommand.class, property = {"osgi.command.scope=train", "osgi.command.function=lr-find"})
public class LrFindCommand {
    @Reference
    private TrainCommands train;

    @Descriptor("learning-rate finder: trains a fresh network while the rate grows from --min to --max, then plots the "
            + "smoothed loss against the rate and suggests one (steepest descent); --out writes lr-find.csv")
    public void _main(
            @Descriptor("smallest rate") @Parameter(names = {"--min"}, absentValue = "1e-6") double min,
            @Descriptor("largest rate") @Parameter(names = {"--max"}, absentValue = "1") double max,
            @Descriptor("batches") @Parameter(names = {"--steps"}, absentValue = "100") int steps,
            @Descriptor("batch size") @Parameter(names = {"-b", "--batch"}, absentValue = "") String batch,
            @Descriptor("input size in pixels (square)") @Parameter(names = {"--size"}, absentValue = "") String size,
            @Descriptor("CSV with columns file and group") @Parameter(names = {"--groups"}, absentValue = "") String groups,
            @Descriptor("folder for lr-find.csv") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("the command's own name (Gogo passes it to _main)") String command,
            @Descriptor("dataset folder or CSV") String dataset) throws java.io.IOException {
        Map<String, String> options = TrainCommands.options("batch", batch, "size", size, "groups", groups);
        double[][] rows = train.trainer().findLearningRate(new TrainRequest(Path.of(dataset), Path.of(out.isEmpty() ? "." : out), options), min, max,
                steps, TrainCommands.messages());
        System.out.print(TrainCommands.plot(rows, 64, 16));
        int lowest = 0;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i][2] < rows[lowest][2]) {
                lowest = i;
            }
        }
        // steepest descent of the smoothed loss per decade of rate, before its lowest point
        int steepest = Math.max(1, Math.min(lowest, rows.length - 2));
        double bestSlope = Double.MAX_VALUE;
        for (int i = 1; i < Math.min(lowest, rows.length - 1); i++) {
            double slope = (rows[i + 1][2] - rows[i - 1][2]) / (Math.log10(rows[i + 1][0]) - Math.log10(rows[i - 1][0]));
            if (slope < bestSlope) {
                bestSlope = slope;
                steepest = i;
            }
        }
        System.out.printf(Locale.ROOT, "suggested learning rate %.2g (steepest descent); lowest loss at %.2g (use about a tenth of it)%n",
                rows[steepest][0], rows[lowest][0]);
        if (!out.isEmpty()) {
            try (AtomicFile f = new AtomicFile(Path.of(out).resolve("lr-find.csv"), true)) {
                f.writer().write("lr,loss,smoothed_loss\n");
                for (double[] r : rows) {
                    f.writer().write(String.format(Locale.ROOT, "%.6g,%.5f,%.5f%n", r[0], r[1], r[2]));
                }
                f.commit();
            }
            System.out.println("wrote " + Path.of(out).resolve("lr-find.csv").toAbsolutePath());
        }
    }

}
