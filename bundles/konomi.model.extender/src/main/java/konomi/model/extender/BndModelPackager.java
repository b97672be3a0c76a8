package konomi.model.extender;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Component;

import konomi.api.KonomiException;
import konomi.util.AtomicFile;
import konomi.api.model.ModelPackager;

/**
 * Builds data-only model bundles with bndlib. Output is written to a temporary file beside the target
 * and moved into place, so FileInstall never sees half a jar; an existing jar is never overwritten.
 */
@Component
public class BndModelPackager implements ModelPackager {

    @Override
    public Path pack(Path modelFile, String kind, String type, String name, String version, Map<String, String> attributes,
                     Path target) {
        if (!Files.isRegularFile(modelFile)) {
            throw new KonomiException(modelFile + ": model file not found");
        }
        if (!ModelHeader.NAME.matcher(name).matches()) {
            throw new KonomiException("model name '" + name + "' must match " + ModelHeader.NAME.pattern());
        }
        Version v;
        try {
            v = Version.parseVersion(version);
        } catch (IllegalArgumentException e) {
            throw new KonomiException("'" + version + "' is not an OSGi version (e.g. 1.2.0)");
        }
        String bsn = "konomi.model." + name;
        Path out = Files.isDirectory(target) ? target.resolve(bsn + "-" + v + ".jar") : target;
        if (Files.exists(out)) {
            throw new KonomiException(out + ": already exists; choose another version or path");
        }
        String entry = "model/" + modelFile.getFileName();
        String header = ModelHeader.format(kind, type, name, entry, attributes);
        // check the header the way the extender will read it
        ModelHeader.parse(header, bsn, v.toString(), out.toString());
        try (AtomicFile f = new AtomicFile(out, false)) { // a dot-named temporary FileInstall ignores until whole
            ModelJar.write(modelFile, bsn, v, "Konomi model " + name, header, entry, f.stream());
            f.commit();
            return out;
        } catch (KonomiException e) {
            throw e;
        } catch (Exception e) {
            throw new KonomiException(out + ": cannot write model bundle: " + e.getMessage(), e);
        }
    }
}
