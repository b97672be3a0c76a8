package konomi.api.pipeline;

import java.util.List;

import konomi.api.sink.ModelRef;
import org.osgi.annotation.versioning.ProviderType;

/** The installed scorers. A name resolves to its newest version, so a newer model bundle is used by the next run. */
@ProviderType
public interface ScorerChoice {
    /** Every installed scorer, by name, newest version first within a name. */
    List<ModelRef> installed();
}
