package konomi.api.gen;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link GeneratorTrainer#train} produced.
 *
 * @param model   the generator to ship ({@code model.zip}: the averaged weights when {@code ema > 0})
 * @param report  {@code report.html} with loss curves, quality figures and sample grids per epoch
 * @param metrics {@code metrics.json}
 */
public record GenTrainResult(List<GenEpoch> epochs, Path model, Path report, Path metrics) {
    public GenTrainResult {
        epochs = List.copyOf(epochs);
    }
}
