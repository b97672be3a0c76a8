package konomi.nn.gan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import konomi.api.KonomiException;
import konomi.util.AtomicFile;

/**
 * Epoch checkpoints of adversarial trainings: the networks with their updater state go into
 * {@code checkpoint/epoch-NNN/}, then {@code checkpoint/state.json} naming that folder is rewritten atomically, and only
 * then are older folders deleted, so a run killed at any moment resumes from a whole checkpoint.
 */
public final class Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {
    }

    /** Saves the networks and makes {@code state} (to which the folder's name is added as {@code dir}) current. */
    public static void save(Path ckpt, int epoch, Map<String, MultiLayerNetwork> nets, ObjectNode state) throws IOException {
        String name = String.format("epoch-%03d", epoch);
        Path dir = ckpt.resolve(name);
        Files.createDirectories(dir);
        for (Map.Entry<String, MultiLayerNetwork> e : nets.entrySet()) {
            writeModel(dir.resolve(e.getKey() + ".zip"), e.getValue(), true);
        }
        state.put("dir", name);
        state.put("epoch", epoch);
        AtomicFile.writeString(ckpt.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
        try (Stream<Path> old = Files.list(ckpt)) {
            for (Path p : old.filter(p -> Files.isDirectory(p) && !p.equals(dir)).toList()) {
                try (Stream<Path> files = Files.list(p)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(p);
            }
        }
    }

    /** The current checkpoint's state, or null when there is none. */
    public static JsonNode state(Path ckpt) throws IOException {
        Path s = ckpt.resolve("state.json");
        return Files.exists(s) ? JSON.readTree(s.toFile()) : null;
    }

    /** One network of the current checkpoint, with its updater state. */
    public static MultiLayerNetwork load(Path ckpt, JsonNode state, String name) throws IOException {
        return ModelSerializer.restoreMultiLayerNetwork(ckpt.resolve(state.path("dir").asText()).resolve(name + ".zip").toFile(), true);
    }

    /** The folder of the current checkpoint (for messages). */
    public static Path dir(Path ckpt, JsonNode state) {
        return ckpt.resolve(state.path("dir").asText());
    }

    /** Writes a network as a DL4J zip, atomically. */
    public static void writeModel(Path target, MultiLayerNetwork net, boolean withUpdater) {
        try (AtomicFile f = new AtomicFile(target, true)) {
            ModelSerializer.writeModel(net, f.stream(), withUpdater);
            f.commit();
        } catch (IOException e) {
            throw new KonomiException(target + ": cannot write: " + e.getMessage(), e);
        }
    }
}
