package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The built bundles are reproducible: no build time in Bundle-Version (project.build.outputTimestamp in
 * the root pom makes bnd keep the SNAPSHOT qualifier) and fixed entry times. Building twice and
 * comparing checksums is the full check (see the root pom); this is the cheap one.
 */
class BuildTest {
    @Test
    void konomiBundlesCarryNoBuildTime() throws Exception {
        List<Path> jars;
        try (Stream<Path> s = Files.list(TestShell.DIST.resolve("bundle"))) {
            jars = s.filter(p -> p.getFileName().toString().startsWith("konomi.")).sorted().toList();
        }
        assertThat(jars).isNotEmpty();
        for (Path jar : jars) {
            try (JarFile j = new JarFile(jar.toFile())) {
                String version = j.getManifest().getMainAttributes().getValue("Bundle-Version");
                assertThat(version).as(jar.getFileName() + " Bundle-Version").doesNotContainPattern("\\.\\d{12}");
                assertThat(j.getManifest().getMainAttributes().getValue("Bnd-LastModified")).as(jar.getFileName().toString()).isNull();
                long first = j.stream().findFirst().orElseThrow().getTime();
                assertThat(j.stream().mapToLong(e -> e.getTime())).as(jar.getFileName() + " entry times").containsOnly(first);
            }
        }
    }
}
