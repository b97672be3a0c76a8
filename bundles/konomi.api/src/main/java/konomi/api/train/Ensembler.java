package konomi.api.train;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Packs trained classifiers into one network that outputs the mean of their probabilities, so that a small ensemble
 * ships and scores as one model, and measures it and each member on the validation and test parts they all held back.
 *
 * @since 0.18
 */
@ProviderType
public interface Ensembler {
    /**
     * @param runs    two or more train:run output folders of classifiers of the same labels, input and split
     *                ({@code model.zip}, {@code model.json}, {@code split.json}), calibrated first if they are to be
     * @param dataset the dataset they were trained on
     * @param out     the folder to write ({@code model.zip}, {@code model.json}, {@code split.json},
     *                {@code ensemble.json}); an ensemble's folder is written again, one with any other {@code model.zip}
     *                is refused
     * @param half    store the weights at half precision (half the file, the same figures to a rounding)
     * @throws konomi.api.KonomiException when a run is not a classifier, the runs disagree on labels, input or split,
     *                                    one trained on its validation part, or {@code out} holds another model
     */
    EnsembleResult pack(List<Path> runs, Path dataset, Path out, boolean half, TrainListener listener);
}
