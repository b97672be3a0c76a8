package konomi.api.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.util.promise.Promise;

/** The models the extender knows of, for {@code model:list}. */
@ProviderType
public interface ModelRegistry {
    /**
     * Every model bundle seen, in bundle id order, then every file in the deploy folder that could not be
     * made into a bundle (bundle id -1, state FAILED, location {@code file:...}), by location.
     */
    List<ModelStatus> models();

    /**
     * The model file of the newest active model of this kind and name, as the extender extracted it from its
     * bundle. Read it, do not change it; it is gone once the model bundle is.
     */
    Optional<Path> modelFile(String kind, String name);

    /**
     * The status of the model deployed from this file (a jar or cascade xml in the deploy folder, or any bundle's
     * file location) once it is no longer {@link ModelStatus.State#LOADING LOADING}: ACTIVE, FAILED, or WAITING for a
     * factory; resolved at once if it already is. The promise does not time out by itself (use
     * {@link Promise#timeout}); it fails when the extender stops or the file is deleted.
     *
     * @param file the deployed file
     */
    Promise<ModelStatus> settled(Path file);

    /**
     * The statuses of all models once the extender has no load queued or running (at once if it has none), e.g.
     * to wait for the models of start-up before a script uses them. Models waiting for a factory do not hold it
     * up. Fails when the extender stops.
     */
    Promise<List<ModelStatus>> idle();
}
