package konomi.shell;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelPackager;
import konomi.api.model.ModelRegistry;
import konomi.api.model.ModelStatus;
import konomi.nn.ModelMeta;
import konomi.nn.detect.DetectorMeta;

/** {@code model:list}, {@code model:install}, {@code model:package}. */
@Component(service = ModelCommands.class, property = {"osgi.command.scope=model", "osgi.command.function=list",
        "osgi.command.function=install", "osgi.command.function=package"})
public class ModelCommands {
    /** FileInstall picks a file up within a second; loading a big network takes seconds more. */
    private static final long WAIT_MS = 30_000;

    @Reference
    private ModelRegistry registry;
    @Reference
    private ModelPackager packager;

    private Path deploy;

    private Path realDeploy() {
        try {
            return deploy.toRealPath();
        } catch (IOException e) {
            return deploy.toAbsolutePath().normalize();
        }
    }

    @Activate
    void activate(BundleContext context) {
        String d = context.getProperty("konomi.deploy");
        deploy = d == null ? Path.of("deploy") : Path.of(d);
    }

    @Descriptor("list model bundles: name, kind, type, version, state (ACTIVE, LOADING, WAITING, FAILED) and where they came from")
    public void list() {
        Table t = new Table("name", "kind", "type", "version", "state", "source", "error");
        for (ModelStatus s : registry.models()) {
            ModelDescriptor d = s.descriptor();
            t.row(d == null ? "?" : d.name(), d == null ? "" : d.kind(), d == null ? "" : d.type(),
                    d == null ? "" : d.version(), s.state(), shortLocation(s.location()), s.error());
        }
        t.print(System.out);
    }

    @Descriptor("copy a model bundle (.jar) or a cascade file (.xml) into the deploy folder and wait until it is loaded")
    public void install(
            @Descriptor("model name for a cascade file (default: the file name)") @Parameter(names = {"-n", "--name"}, absentValue = "") String name,
            @Descriptor("version for a cascade file (becomes part of its name in deploy/)") @Parameter(names = {"-v", "--version"}, absentValue = "1.0.0") String version,
            @Descriptor("model bundle jar or cascade xml") String file) throws IOException, InterruptedException {
        Path installed = packager.install(Path.of(file), name, version);
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
            @Descriptor("model file, or a train:run output folder (model.zip + model.json: a scorer, or a detector of --task detect)") String file) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("model:package needs --name");
        }
        Path model = Path.of(file);
        Map<String, String> attributes = parseParams(params);
        if (Files.isDirectory(model)) {
            // a train:run output folder: the best network plus its description (a scorer's or a detector's)
            Path json = model.resolve("model.json");
            Map<String, String> merged;
            Map<String, String> generator = generatorAttributes(json);
            if (generator != null) {
                merged = new LinkedHashMap<>(generator);
                kind = "generator";
                type = merged.remove("type");
            } else if (DetectorMeta.isDetector(json)) {
                merged = new LinkedHashMap<>(DetectorMeta.read(json).headerAttributes());
                kind = "detector";
                type = "cnn";
            } else {
                ModelMeta meta = ModelMeta.read(json);
                merged = new LinkedHashMap<>(meta.headerAttributes());
                kind = "scorer";
                type = meta.task();
            }
            merged.putAll(attributes);
            attributes = merged;
            model = model.resolve("model.zip");
        }
        Path jar = packager.pack(model, kind, type, name, version, attributes, out.isEmpty() ? deploy : Path.of(out));
        System.out.println("wrote " + jar.toAbsolutePath());
    }

    /**
     * A generator run's header attributes (with its {@code type}) from its model.json ({@code gen:train} writes
     * {@code "type": "gan"}, the picture size and the latent length), or null when the run is not a generator's.
     */
    static Map<String, String> generatorAttributes(Path json) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
            String type = n.path("type").asText("");
            if (!type.equals("gan") && !type.equals("cae")) {
                return null;
            }
            Map<String, String> m = new LinkedHashMap<>();
            m.put("type", type);
            m.put("input", n.path("size").asInt() + "x" + n.path("size").asInt() + "x3");
            m.put("latent", n.path("latent").asText());
            if (n.has("labels")) {
                List<String> labels = new java.util.ArrayList<>();
                n.path("labels").forEach(l -> labels.add(l.asText()));
                m.put("labels", String.join(",", labels));
            }
            return m;
        } catch (IOException e) {
            return null; // not readable here: ModelMeta.read reports the file and the problem
        }
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

    /** The model's status once it is loaded (or failed, or waits for a factory); after WAIT_MS whatever it is, or null. */
    private ModelStatus waitFor(Path installed) throws InterruptedException {
        try {
            return registry.settled(installed).timeout(WAIT_MS).getValue();
        } catch (InvocationTargetException timedOutOrStopped) {
            Path real = source(installed.toUri().toString());
            return registry.models().stream().filter(s -> real != null && real.equals(source(s.location()))).findFirst().orElse(null);
        }
    }

    /** The file a model came from: locations are file:..., reference:file:... or konomi-cascade:file:... */
    private static Path source(String location) {
        if (location == null) {
            return null;
        }
        int at = location.indexOf("file:");
        try {
            return at < 0 ? null : Path.of(java.net.URI.create(location.substring(at))).toRealPath();
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }

    /** deploy/x.jar for FileInstall's bundles, app/x.jar for the application's own, else the location. */
    private String shortLocation(String location) {
        if (location == null) {
            return "";
        }
        if (location.startsWith("reference:")) {
            return "app/" + location.substring(location.lastIndexOf('/') + 1);
        }
        Path p = source(location);
        if (p != null) {
            Path d = realDeploy();
            return p.startsWith(d) ? "deploy/" + d.relativize(p) : p.toString();
        }
        return location;
    }
}
