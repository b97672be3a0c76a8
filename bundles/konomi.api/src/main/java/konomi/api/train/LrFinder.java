package konomi.api.train;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Learning-rate range test: a fresh network trained for a number of batches while the rate grows exponentially;
 * stops early once the loss diverges, and suggests a rate.
 */
@ProviderType
public interface LrFinder {
    /** @throws konomi.api.KonomiException naming the file and cause when the dataset or options are unusable */
    LrFindResult find(Path dataset, LrFindOptions options, TrainListener listener);
}
