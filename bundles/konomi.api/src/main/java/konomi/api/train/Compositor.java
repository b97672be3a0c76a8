package konomi.api.train;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes synthetic detector training pictures: real face crops pasted onto real backgrounds at known places,
 * written as {@code images/NNNNN.jpg} plus {@code boxes.csv} ({@code file,x1,y1,x2,y2}, tight face boxes). Pictures
 * without a row in {@code boxes.csv} hold no face. The same options give byte-identical files.
 */
@ProviderType
public interface Compositor {
    /**
     * @param listener receives progress lines ({@link TrainListener#message}); may be null
     * @throws konomi.api.KonomiException naming the folder and cause when the data or the output folder is unusable
     */
    CompositeResult compose(CompositeOptions options, TrainListener listener);
}
