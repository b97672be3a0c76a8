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
     * How the members' outputs are combined.
     *
     * @since 0.19
     */
    enum Mean {
        /** The mean of the members' probabilities. */
        ARITHMETIC,
        /** The mean of their logits, then a softmax: the normalised geometric mean of their probabilities. */
        GEOMETRIC
    }

    /**
     * @param runs    two or more train:run output folders of classifiers of the same labels, input and split
     *                ({@code model.zip}, {@code model.json}, {@code split.json}), calibrated first if they are to be; or
     *                one ensemble's folder, packed again with {@code mean} from the weights it holds (its members' runs
     *                are not needed)
     * @param dataset the dataset they were trained on
     * @param out     the folder to write ({@code model.zip}, {@code model.json}, {@code split.json},
     *                {@code ensemble.json}); an ensemble's folder is written again, one with any other {@code model.zip}
     *                is refused
     * @param half    store the weights at half precision (half the file, the same figures to a rounding)
     * @param mean    how the members' outputs are combined
     * @throws konomi.api.KonomiException when a run is not a classifier, the runs disagree on labels, input or split,
     *                                    one trained on its validation part, a single folder is not an ensemble, or
     *                                    {@code out} holds another model
     * @since 0.19 ({@code mean})
     */
    EnsembleResult pack(List<Path> runs, Path dataset, Path out, boolean half, Mean mean, TrainListener listener);
}
