package konomi.api.train;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Self-supervised pretraining of a base network on unlabelled face crops, for {@code train:run --init} to start a
 * scorer from: the network learns to tell two augmented views of one face from the views of every other face.
 */
@ProviderType
public interface Pretrainer {
    /**
     * Pretrains on every picture under {@code sources} (folders, searched recursively) except the held-back files
     * the options name; resumes from {@code output}'s checkpoint unless told otherwise.
     *
     * @throws konomi.api.KonomiException naming the file and cause when a source or option is unusable
     */
    PretrainResult pretrain(List<Path> sources, Path output, PretrainOptions options, TrainListener listener);
}
