package konomi.api.model;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns a model file into a service object. Implemented by detector/scorer bundles and registered
 * with service properties {@link #KIND} and {@link #TYPE}; the extender calls the factory whose kind
 * and type match a model bundle's header.
 *
 * @param <S> the service type created
 */
@ConsumerType
public interface ModelFactory<S> {
    String KIND = "konomi.model.kind";
    String TYPE = "konomi.model.type";

    /** The service interface the created objects are registered under. */
    Class<S> serviceType();

    /**
     * Loads the model.
     *
     * @param descriptor the model's header
     * @param modelFile  the model file, extracted from its bundle
     * @throws Exception when the file is not a valid model of this type; the message is shown to users
     */
    S create(ModelDescriptor descriptor, Path modelFile) throws Exception;

    /** Releases what {@link #create} allocated (native memory ...). */
    default void dispose(S service) {
    }
}
