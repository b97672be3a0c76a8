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

    @AfterAll
    static void stopFramework() {
        shell.close();
    }
}
