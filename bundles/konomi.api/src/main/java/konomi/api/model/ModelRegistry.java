package konomi.api.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The models the extender knows of, for {@code model:list}. */
@ProviderType
public interface ModelRegistry {
    /** Every model bundle seen, in bundle id order. */
    List<ModelStatus> models();

    /**
     * The model file of the newest active model of this kind and name, as the extender extracted it from its
     * bundle. Read it, do not change it; it is gone once the model bundle is.
     */
    Optional<Path> modelFile(String kind, String name);
}
