package konomi.model.extender;

import java.io.OutputStream;
import java.nio.file.Path;

import org.osgi.framework.Version;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;

/**
 * A data-only model bundle built with bndlib: one model file, a {@code Konomi-Model} header and the
 * requirement on the model extender. Used by {@code model:package} and for cascade files dropped into deploy/.
 */
final class ModelJar {
    private ModelJar() {
    }

    /**
     * Builds the bundle and writes it to {@code out}.
     *
     * @param header a {@code Konomi-Model} header whose {@code file=} is {@code entry}
     * @throws KonomiException with bnd's errors when it cannot be built
     */
    static void write(Path modelFile, String bsn, Version version, String bundleName, String header, String entry,
                      OutputStream out) throws Exception {
        try (Builder b = new Builder()) {
            b.setProperty("Bundle-SymbolicName", bsn);
            b.setProperty("Bundle-Version", version.toString());
            b.setProperty("Bundle-Name", bundleName);
            b.setProperty(ModelDescriptor.HEADER, header);
            b.setProperty("Require-Capability", ModelDescriptor.EXTENDER_REQUIREMENT);
            b.setProperty("-resourceonly", "true");
            b.setProperty("-noextraheaders", "true");
            // no timestamps: the same model file always gives the same bytes
            b.setProperty("-reproducible", "true");
            b.setProperty("-includeresource", entry + "=" + modelFile.toAbsolutePath());
            Jar jar = b.build();
            if (!b.isOk()) {
                throw new KonomiException("bnd could not build " + bsn + ": " + String.join("; ", b.getErrors()));
            }
            jar.write(out); // before the builder closes the jar
        }
    }
}
