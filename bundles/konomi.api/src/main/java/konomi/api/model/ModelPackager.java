package konomi.api.model;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** Builds a model bundle (a data-only OSGi bundle with a {@code Konomi-Model} header) from a model file. */
@ProviderType
public interface ModelPackager {

    /**
     * Packs the model file into a bundle.
     *
     * @param modelFile  the model file (cascade xml, DL4J zip ...)
     * @param kind       detector, scorer ...
     * @param type       cascade, regression, classification ...
     * @param name       the model's name
     * @param version    an OSGi version, e.g. 1.2.0
     * @param attributes further header attributes (parameters, labels, input ...)
     * @param target     a folder (the jar is named {@code konomi.model.<name>-<version>.jar}) or a jar path
     * @return the written jar
     */
    Path pack(Path modelFile, String kind, String type, String name, String version, Map<String, String> attributes,
              Path target);

    /**
     * Installs a model: copies a model bundle jar, or an OpenCV cascade {@code .xml} (which the extender turns into a
     * model bundle), into the deploy folder in one step. Wait for it with {@link ModelRegistry#settled(Path)}.
     *
     * @param file    a model bundle jar or a cascade xml
     * @param name    for a cascade: the model name, or null for the file name
     * @param version for a cascade: major[.minor[.micro]], or null for 1.0.0
     * @return the file in the deploy folder
     * @throws konomi.api.KonomiException naming the file when it is not a model bundle or cascade, or is already installed
     */
    Path install(Path file, String name, String version);
}
