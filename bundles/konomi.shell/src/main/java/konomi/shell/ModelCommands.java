package konomi.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarFile;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.util.AtomicFile;
import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelPackager;
import konomi.api.model.ModelRegistry;
import konomi.api.model.ModelStatus;
import konomi.nn.ModelMeta;

/** {@code model:list}, {@code model:install}, {@code model:package}. */
@Component(service = ModelCommands.class, property = {"osgi.command.scope=model", "osgi.command.function=list",
        "osgi.command.function=install", "osgi.command.function=package"})
public class ModelCommands {
    private static final long WAIT_MS = 5000;

    @Reference
    private ModelRegistry registry;
    @Reference
    private ModelPackager packager;

    private Path deploy;

    @Activate
    void activate(BundleContext context) {
        String d = context.getProperty("konomi.deploy");
        deploy = d == null ? Path.of("deploy") : Path.of(d);
    }

    @Descriptor("list model bundles: name, kind, type, version, state (ACTIVE, WAITING, FAILED) and where they came from")
    public void list() {
        Table t = new Table("name", "kind", "type", "version", "state", "source", "error");
        for (ModelStatus s : registry.models()) {
            ModelDescriptor d = s.descriptor();
            t.row(d == null ? "?" : d.name(), d == null ? "" : d.kind(), d == null ? "" : d.type(),
                    d == null ? "" : d.version(), s.state(), shortLocation(s.location()), s.error());
        }
        t.print(System.out);
    }

    @Descriptor("install a model bundle (.jar) or a cascade file (.xml) into the deploy folder and wait until it is loaded")
    public void install(
            @Descriptor("name for a bare model file (default: the file name)") @Parameter(names = {"-n", "--name"}, absentValue = "") String name,
            @Descriptor("version for a bare model file") @Parameter(names = {"-v", "--version"}, absentValue = "1.0.0") String version,
            @Descriptor("model bundle jar or cascade xml") String file) throws IOException, InterruptedException {
        Path src = Path.of(file);
        if (!Files.isRegularFile(src)) {
            throw new KonomiException(file + ": file not found");
        }
        Path installed;
        String lower = src.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jar")) {
            checkModelBundle(src);
            installed = deploy.resolve(src.getFileName());
            if (Files.exists(installed)) {
                throw new KonomiException(installed + ": already exists in the deploy folder");
            }
            Files.createDirectories(deploy);
            Path tmp = Files.createTempFile(deploy, ".install", ".tmp"); // FileInstall ignores dot files
            try {
                Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
                AtomicFile.move(tmp, installed);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } else if (lower.endsWith(".xml")) {
            String n = name.isEmpty() ? lower.substring(0, lower.length() - 4).replaceAll("[^a-z0-9._-]", "-") : name;
            installed = packager.pack(src, "detector", "cascade", n, version, Map.of(), deploy);
        } else {
            throw new KonomiException(file + ": not a model bundle (.jar) or cascade file (.xml)");
        }
        ModelStatus s = waitFor(installed);
        System.out.println(installed.getFileName() + ": " + (s == null ? "not picked up yet (is the deploy folder watched?)"
                : s.descriptor() == null ? s.state() + " " + s.error()
                : s.descriptor().name() + " " + s.descriptor().version() + " " + s.state() + (s.error() == null ? "" : ": " + s.error())));
        if (s != null && s.state() == ModelStatus.State.FAILED) {
            throw new KonomiException(installed.getFileName() + ": " + s.error());
        }
    }

    /** Gogo calls {@code _package} for {@code model:package}, since package is a Java keyword. */
    @Descriptor("pack a model file into a model bundle (into the deploy folder unless --out is given)")
    public void _package(
            @Descriptor("model name") @Parameter(names = {"-n", "--name"}, absentValue = "") String name,
            @Descriptor("bundle version") @Parameter(names = {"-v", "--version"}, absentValue = "1.0.0") String version,
            @Descriptor("model kind: detector, scorer, generator") @Parameter(names = {"-k", "--kind"}, absentValue = "detector") String kind,
            @Descriptor("model type, e.g. cascade") @Parameter(names = {"-t", "--type"}, absentValue = "cascade") String type,
            @Descriptor("parameters, e.g. minNeighbors=8,scaleFactor=1.05") @Parameter(names = {"-p", "--params"}, absentValue = "") String params,
            @Descriptor("output folder or jar path") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("model file, or a train:run output folder (model.zip + model.json)") String file) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("model:package needs --name");
        }
        Path model = Path.of(file);
        Map<String, String> attributes = parseParams(params);
        if (Files.isDirectory(model)) {
            // a train:run output folder: the best network plus its description
            ModelMeta meta = ModelMeta.read(model.resolve("model.json"));
            Map<String, String> merged = new LinkedHashMap<>(meta.headerAttributes());
            merged.putAll(attributes);
            attributes = merged;
            kind = "scorer";
            type = meta.task();
            model = model.resolve("model.zip");
        }
        Path jar = packager.pack(model, kind, type, name, version, attributes, out.isEmpty() ? deploy : Path.of(out));
        System.out.println("wrote " + jar.toAbsolutePath());
    }

    static Map<String, String> parseParams(String params) {
        Map<String, String> m = new LinkedHashMap<>();
        if (params.isBlank()) {
            return m;
        }
        for (String kv : params.split(",")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--params wants key=value[,key=value...], got '" + kv + "'");
            }
            m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return m;
    }

    private static void checkModelBundle(Path jar) {
        try (JarFile j = new JarFile(jar.toFile())) {
            if (j.getManifest() == null || j.getManifest().getMainAttributes().getValue(ModelDescriptor.HEADER) == null) {
                throw new KonomiException(jar + ": not a model bundle (no " + ModelDescriptor.HEADER + " header)");
            }
        } catch (IOException e) {
            throw new KonomiException(jar + ": not a readable jar: " + e.getMessage());
        }
    }

    private ModelStatus waitFor(Path installed) throws InterruptedException {
        String fileName = installed.getFileName().toString();
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            for (ModelStatus s : registry.models()) {
                if (s.location() != null && s.location().endsWith("/" + fileName) && s.state() != ModelStatus.State.WAITING) {
                    return s;
                }
            }
            Thread.sleep(50);
        }
        List<ModelStatus> waiting = registry.models().stream()
                .filter(s -> s.location() != null && s.location().endsWith("/" + fileName)).toList();
        return waiting.isEmpty() ? null : waiting.get(0);
    }

    /** deploy/x.jar for FileInstall's bundles, app/x.jar for the application's own, else the location. */
    private String shortLocation(String location) {
        if (location == null) {
            return "";
        }
        if (location.startsWith("reference:")) {
            return "app/" + location.substring(location.lastIndexOf('/') + 1);
        }
        if (location.startsWith("file:")) {
            try {
                Path p = Path.of(java.net.URI.create(location)).toAbsolutePath();
                Path d = deploy.toAbsolutePath();
                return p.startsWith(d) ? "deploy/" + d.relativize(p) : p.toString();
            } catch (IllegalArgumentException e) {
                return location;
            }
        }
        return location;
    }
}
