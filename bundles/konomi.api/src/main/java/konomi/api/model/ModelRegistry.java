package konomi.api.model;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The models the extender knows of, for {@code model:list}. */
@ProviderType
public interface ModelRegistry {
    /** Every model bundle seen, in bundle id order. */
    List<ModelStatus> models();
}
