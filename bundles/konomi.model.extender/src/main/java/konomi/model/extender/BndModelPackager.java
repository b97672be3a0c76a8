package konomi.model.extender;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Component;

import konomi.api.KonomiException;
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
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, "." + bsn, ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not POSIX
            }
            try {
                try (java.io.OutputStream o = Files.newOutputStream(tmp)) {
                    ModelJar.write(modelFile, bsn, v, "Konomi model " + name, header, entry, o);
                }
                move(tmp, out);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return out;
        } catch (KonomiException e) {
            throw e;
        } catch (Exception e) {
            throw new KonomiException(out + ": cannot write model bundle: " + e.getMessage(), e);
        }
    }

    private static void move(Path tmp, Path out) throws IOException {
        try {
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, out);
        }
    }
}
