package konomi.api.train;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * K-fold cross-validation: K fresh networks, each trained on K-1 folds and measured on the remaining one after
 * every epoch. Folds keep groups whole and are stratified (by class, or by score for a regressor).
 */
@ProviderType
public interface CrossValidator {
    /** @throws konomi.api.KonomiException naming the file and cause when the dataset or options are unusable */
    CvResult crossValidate(Path dataset, CvOptions options, TrainListener listener);
}
