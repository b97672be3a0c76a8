package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The -Pcuda check, on fake lib/ folders and driver locations (the real CUDA artifacts are gigabytes). */
class CudaCheckTest {

    @Test
    void onlyABuildWithTheCudaBackendIsChecked(@TempDir Path lib) throws Exception {
        Files.createFile(lib.resolve("nd4j-native-1.0.0-M2.1.jar"));
        assertThat(CudaCheck.usesCuda(lib)).isFalse();
        assertThat(CudaCheck.problem(lib)).isNull();
        Files.createFile(lib.resolve("nd4j-cuda-11.6-1.0.0-M2.1.jar"));
        assertThat(CudaCheck.usesCuda(lib)).isTrue();
    }

    @Test
    void aMissingDriverIsOneLineNamingIt(@TempDir Path dir) {
        List<Path> tried = new ArrayList<>();
        String msg = CudaCheck.problem(List.of(dir.resolve("libcuda.so.1")), p -> tried.add(p));
        assertThat(msg).isEqualTo("ND4J's CUDA backend needs the NVIDIA driver library libcuda.so.1, which is not on this machine "
                + "(build without -Pcuda for the CPU backend)");
        assertThat(tried).as("nothing to load").isEmpty();
    }

    @Test
    void aDriverThatLoadsPassesAndOneThatDoesNotIsNamed(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectories(dir.resolve("a")).resolve("libcuda.so.1"), b = Files.createDirectories(dir.resolve("b")).resolve("libcuda.so.1");
        Files.writeString(a, "not an ELF file");
        Files.writeString(b, "the real one");
        assertThat(CudaCheck.problem(List.of(dir.resolve("none/libcuda.so.1"), a, b), p -> p.equals(b))).isNull();
        // the real loader on a file that is not a library: it does not load
        String msg = CudaCheck.problem(List.of(a), p -> {
            try {
                System.load(p.toString());
                return true;
            } catch (UnsatisfiedLinkError e) {
                return false;
            }
        });
        assertThat(msg).startsWith("ND4J's CUDA backend needs the NVIDIA driver library libcuda.so.1, and " + a + " does not load");
    }

    @Test
    void theLinkerCacheIsRead() {
        String out = """
                1234 libs found in cache `/etc/ld.so.cache'
                	libcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda/lib64/libcudart.so.11.0
                	libcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1
                	libcuda.so (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so
                """;
        assertThat(CudaCheck.parseLdconfig(out)).containsExactly(Path.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1"));
    }

    @Test
    void aBackendFailureInsideACommandIsRecognised() {
        Throwable t = new RuntimeException("ND4J is probably missing dependencies",
                new java.lang.reflect.InvocationTargetException(new UnsatisfiedLinkError("no jnicudart in java.library.path")));
        assertThat(CudaCheck.isCudaFailure(t)).isTrue();
        assertThat(CudaCheck.isCudaFailure(new UnsatisfiedLinkError("no jnind4jcpu"))).isFalse();
    }
}
