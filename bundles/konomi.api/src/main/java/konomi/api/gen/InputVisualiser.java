package konomi.api.gen;

import org.osgi.annotation.versioning.ProviderType;

/** Draws the input an installed classifier finds most like one of its classes (activation maximisation). */
@ProviderType
public interface InputVisualiser {
    /**
     * @param classifier an installed classification scorer's name
     * @param label      one of its labels
     * @throws konomi.api.KonomiException naming the classifier or label when there is no such one
     */
    VizResult visualise(String classifier, String label, VizOptions options);
}
