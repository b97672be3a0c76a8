package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelRegistry;
import konomi.api.model.ModelStatus;

/** {@code --init}: a path is taken as it is; a name goes to the model registry, which hands out the model file. */
class InitTest {
    @TempDir
    Path dir;
    final Heard listener = new Heard();
    final List<String> said = listener.said;

    static ModelStatus scorer(String name, String version, ModelStatus.State state) {
        return new ModelStatus(1, "loc", new ModelDescriptor("scorer", "classification", name, version, "model/model.zip", "96x96x3", Map.of(),
                "konomi.model." + name, "loc"), state, null);
    }

    @Test
    void aFolderOrFileIsUsedAsItIs() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run1"));
        Path zip = Files.writeString(dir.resolve("net.zip"), "zip");
        CnnTrainer t = new CnnTrainer();
        assertThat(t.resolveInit(run.toString(), listener)).isEqualTo(run.resolve("model.zip"));
        assertThat(t.resolveInit(zip.toString(), listener)).isEqualTo(zip);
        assertThat(said).isEmpty();
    }

    @Test
    void aNameIsTheRegistrysModelFileOfTheNewestActiveScorer() throws Exception {
        Path extracted = Files.writeString(dir.resolve("extracted.zip"), "zip");
        CnnTrainer t = new CnnTrainer();
        t.registry = new ModelRegistry() {
            @Override
            public List<ModelStatus> models() {
                return List.of(scorer("character", "1.2.0", ModelStatus.State.ACTIVE), scorer("character", "1.10.0", ModelStatus.State.ACTIVE),
                        scorer("character", "2.0.0", ModelStatus.State.FAILED));
            }

            @Override
            public Optional<Path> modelFile(String kind, String name) {
                return kind.equals("scorer") && name.equals("character") ? Optional.of(extracted) : Optional.empty();
            }

            @Override
            public org.osgi.util.promise.Promise<ModelStatus> settled(Path file) {
                throw new UnsupportedOperationException("not used by the trainer");
            }

            @Override
            public org.osgi.util.promise.Promise<List<ModelStatus>> idle() {
                throw new UnsupportedOperationException("not used by the trainer");
            }
        };
        assertThat(t.resolveInit("character", listener)).isEqualTo(extracted);
        assertThat(said).containsExactly("--init character: the network of konomi.model.character 1.10.0");
        assertThatThrownBy(() -> t.resolveInit("nosuch", listener))
                .hasMessage("--init nosuch: no such file, and no installed scorer or detector model of that name (model:list shows them)");
    }

    @Test
    void withoutARegistryANameIsUnknown() {
        assertThatThrownBy(() -> new CnnTrainer().resolveInit("character", listener))
                .hasMessage("--init character: no such file, and no installed scorer or detector model of that name (model:list shows them)");
    }
}
