package konomi.api.pipeline;

import java.util.List;
import java.util.Optional;

import konomi.api.sink.ModelRef;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Which face detector runs use: the one chosen with {@link #use}, kept in configuration {@link #PID}
 * ({@link #TARGET}, a service filter) and in {@code etc/konomi.detect.cfg} so that it survives restarts; without a
 * choice, the cascade {@code animeface} if installed, else the CNN detector {@code yolo}, else the newest installed
 * detector. A run keeps the detector it started with; a new choice applies to the next run.
 */
@ProviderType
public interface DetectorChoice {
    /** Configuration PID holding the choice. */
    String PID = "konomi.detect";
    /** Configuration key: the filter the active detector's service must match, e.g. {@code (konomi.name=animeface)}. */
    String TARGET = "detector.target";
    /** {@link #use} argument for "no choice": the default detector (see above). */
    String AUTO = "auto";

    /** Every installed detector, by name, newest version first within a name. */
    List<ModelRef> installed();

    /** The detector runs use now, if one is installed that matches the choice. */
    Optional<ModelRef> active();

    /** The configured filter, or empty for the default detector. */
    Optional<String> target();

    /**
     * Makes the named detector (or {@link #AUTO}) the active one, persistently, and returns once it is.
     *
     * @throws konomi.api.KonomiException when no detector has that name (the message lists the installed ones)
     */
    ModelRef use(String name);
}
