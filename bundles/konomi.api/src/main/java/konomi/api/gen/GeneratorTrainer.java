package konomi.api.gen;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Trains a generator on face pictures. Registered with {@link #TYPE} naming the model type it makes ({@code gan},
 * {@code cae}), so that each generator family brings its own trainer.
 */
@ProviderType
public interface GeneratorTrainer {
    String TYPE = "konomi.gen.type";

    /**
     * Trains, resuming from the output folder's checkpoint unless the options say otherwise; writes {@code model.zip},
     * {@code model.json}, {@code train.csv}, {@code metrics.json}, {@code report.html} and a sample grid per epoch.
     *
     * @param datasets folders searched recursively for pictures of faces (a class folder per label where labels matter)
     * @throws konomi.api.KonomiException naming the folder or file and what is wrong
     */
    GenTrainResult train(List<Path> datasets, Path output, GenTrainOptions options, GenTrainListener listener);
}
