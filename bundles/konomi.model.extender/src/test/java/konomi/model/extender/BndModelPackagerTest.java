package konomi.model.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.KonomiException;

class BndModelPackagerTest {
    @TempDir
    Path dir;

    @Test
    void packedModelBundlesRequireTheExtenderAndAreNeverOverwritten() throws Exception {
        Path model = Files.writeString(dir.resolve("faces.xml"), "<opencv_storage><cascade/></opencv_storage>");
        Path jar = new BndModelPackager().pack(model, "detector", "cascade", "faces", "1.2.0", Map.of("minNeighbors", "8"), dir);
        assertThat(jar.getFileName()).hasToString("konomi.model.faces-1.2.0.jar");
        try (JarFile j = new JarFile(jar.toFile())) {
            Attributes a = j.getManifest().getMainAttributes();
            assertThat(a.getValue("Bundle-SymbolicName")).isEqualTo("konomi.model.faces");
            assertThat(a.getValue("Require-Capability"))
                    .isEqualTo("osgi.extender;filter:=\"(&(osgi.extender=konomi.model)(version>=1.0)(!(version>=2.0)))\"");
            assertThat(a.getValue("Konomi-Model")).contains("name=\"faces\"", "minNeighbors=\"8\"", "file=\"model/faces.xml\"");
        }
        assertThat(DeployFiles.jarProblem(jar)).isNull();
        assertThatThrownBy(() -> new BndModelPackager().pack(model, "detector", "cascade", "faces", "1.2.0", Map.of(), dir))
                .isInstanceOf(KonomiException.class).hasMessageEndingWith("already exists; choose another version or path");
    }
}
