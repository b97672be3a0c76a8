package konomi.model.extender;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarFile;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import konomi.api.KonomiException;
import konomi.util.AtomicFile;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelPackager;

/**
 * Builds data-only model bundles with bndlib. Output is written to a temporary file beside the target
 * and moved into place, so FileInstall never sees half a jar; an existing jar is never overwritten.
 */
@Component
public class BndModelPackager implements ModelPackager {
    private Path deploy = Path.of("deploy");

    @Activate
    void activate(BundleContext context) {
        String d = context.getProperty("konomi.deploy");
        if (d != null) {
            deploy = Path.of(d);
        }
    }

    @Override
    public Path install(Path file, String name, String version) {
        if (!Files.isRegularFile(file)) {
            throw new KonomiException(file + ": file not found");
        }
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Path installed;
        if (lower.endsWith(".jar")) {
            String problem = DeployFiles.jarProblem(file);
            if (problem != null) {
                throw new KonomiException(file + ": " + problem);
            }
            try (JarFile j = new JarFile(file.toFile())) {
                if (j.getManifest().getMainAttributes().getValue(ModelDescriptor.HEADER) == null) {
                    throw new KonomiException(file + ": not a model bundle (no " + ModelDescriptor.HEADER + " header)");
                }
            } catch (IOException e) {
                throw new KonomiException(file + ": not a readable jar: " + e.getMessage());
            }
            installed = deploy.resolve(file.getFileName());
        } else if (lower.endsWith(".xml")) {
            String problem = DeployFiles.xmlProblem(file);
            if (problem != null) {
                throw new KonomiException(file + ": " + problem);
            }
            // the extender turns a cascade in deploy/ into a model bundle; name and version come from the file name
            String n = name == null || name.isEmpty() ? lower.substring(0, lower.length() - 4).replaceAll("[^a-z0-9._-]", "-") : name;
            String v = version == null || version.isEmpty() ? "1.0.0" : version;
            if (!ModelHeader.NAME.matcher(n).matches()) {
                throw new KonomiException("model name '" + n + "' must match " + ModelHeader.NAME.pattern());
            }
            if (!v.matches("\\d+(\\.\\d+){0,2}")) {
                throw new KonomiException("the version of a cascade file wants major[.minor[.micro]], got '" + v + "'");
            }
            // a name that itself ends in -<number> keeps its version explicit, so it is not read as one
            boolean plain = v.equals("1.0.0") && !n.matches(".*-\\d+(\\.\\d+){0,2}");
            installed = deploy.resolve(n + (plain ? "" : "-" + v) + ".xml");
        } else {
            throw new KonomiException(file + ": not a model bundle (.jar) or cascade file (.xml)");
        }
        if (Files.exists(installed)) {
            throw new KonomiException(installed + ": already exists in the deploy folder");
        }
        try (AtomicFile f = new AtomicFile(installed, false)) { // a dot-named temporary FileInstall ignores until whole
            Files.copy(file, f.stream());
            f.commit();
        } catch (IOException e) {
            throw new KonomiException(installed + ": cannot write: " + e.getMessage(), e);
        }
        return installed;
    }

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
