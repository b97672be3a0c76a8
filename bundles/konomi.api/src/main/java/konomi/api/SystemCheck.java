package konomi.api;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Checks that a native piece works on this machine (ND4J backend, OpenCV ...) for {@code konomi:info}, so that the
 * shell needs none of their packages. Registered as a service; every registered check is run.
 */
@ConsumerType
public interface SystemCheck {
    /** One finding: what was checked and what was found. */
    record Item(String item, String value) {
    }

    /**
     * Runs the check.
     *
     * @throws KonomiException with a one-line message when the piece does not work
     */
    List<Item> check();
}
