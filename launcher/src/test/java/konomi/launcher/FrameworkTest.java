package konomi.launcher;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One real Konomi framework per test class, with a fresh home. */
abstract class FrameworkTest {
    @TempDir
    static Path home;
    static TestShell shell;

    @BeforeAll
    static void startFramework() {
        shell = new TestShell(home);
    }

    /**
     * For tests whose figures are the cascade's: waits until the models of start-up are loaded, then makes
     * {@code animeface} the detector (whatever the default detector is).
     */
    static void useCascade() throws Exception {
        ModelBundleTest.registryCall((registry, api) -> api.loadClass("konomi.api.model.ModelRegistry").getMethod("idle").invoke(registry));
        TestShell.Result r = shell.run("detect:use animeface");
        if (r.status() != 0) {
            throw new AssertionError("detect:use animeface: " + r.message());
        }
    }

    @AfterAll
    static void stopFramework() {
        shell.close();
    }
}
