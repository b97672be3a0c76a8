package konomi.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A build with {@code -Pcuda} puts ND4J's CUDA backend (nd4j-cuda-*.jar) in lib/. It needs the NVIDIA
 * driver's libcuda.so.1, which no jar brings: without it ND4J fails deep inside its backend loader with a
 * stack trace. The launcher checks first and says in one line what is missing.
 */
final class CudaCheck {
    static final String DRIVER = "libcuda.so.1";
    private static final List<String> DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
            "/lib/x86_64-linux-gnu", "/lib64", "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib", "/usr/lib/wsl/lib");

    private CudaCheck() {
    }

    /** The one-line problem with this build's CUDA backend on this machine, or null (no CUDA backend, or the driver loads). */
    static String problem(Path lib) {
        if (!usesCuda(lib)) {
            return null;
        }
        return problem(candidates(), CudaCheck::loads);
    }

    /**
     * @param candidates where libcuda.so.1 may be, in the order the dynamic linker would look
     * @param loads      whether a candidate loads into this JVM
     */
    static String problem(List<Path> candidates, Predicate<Path> loads) {
        List<Path> present = candidates.stream().filter(Files::isRegularFile).toList();
        if (present.isEmpty()) {
            return "ND4J's CUDA backend needs the NVIDIA driver library " + DRIVER
                    + ", which is not on this machine (build without -Pcuda for the CPU backend)";
        }
        for (Path p : present) {
            if (loads.test(p)) {
                return null;
            }
        }
        return "ND4J's CUDA backend needs the NVIDIA driver library " + DRIVER + ", and " + present.get(0)
                + " does not load (is the NVIDIA driver installed for this kernel? build without -Pcuda for the CPU backend)";
    }

    /** Whether lib/ holds ND4J's CUDA backend. */
    static boolean usesCuda(Path lib) {
        try (Stream<Path> s = Files.list(lib)) {
            return s.map(p -> p.getFileName().toString()).anyMatch(n -> n.startsWith("nd4j-cuda-") && n.endsWith(".jar"));
        } catch (IOException e) {
            return false;
        }
    }

    /** LD_LIBRARY_PATH, then the linker cache (ldconfig -p), then the usual driver folders. */
    static List<Path> candidates() {
        Set<Path> out = new LinkedHashSet<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isBlank()) {
                    out.add(Path.of(d, DRIVER));
                }
            }
        }
        out.addAll(fromLdconfig());
        DIRS.forEach(d -> out.add(Path.of(d, DRIVER)));
        return new ArrayList<>(out);
    }

    private static List<Path> fromLdconfig() {
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            if (!Files.isExecutable(Path.of(ldconfig))) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
                p.getOutputStream().close();
                String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(5, TimeUnit.SECONDS);
                return parseLdconfig(text);
            } catch (IOException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    /** The paths of libcuda.so.1 in {@code ldconfig -p} output ("\tlibcuda.so.1 (libc6,x86-64) => /path"). */
    static List<Path> parseLdconfig(String text) {
        List<Path> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String t = line.strip();
            int arrow = t.indexOf("=>");
            if (t.startsWith(DRIVER + " ") && arrow > 0) {
                out.add(Path.of(t.substring(arrow + 2).strip()));
            }
        }
        return out;
    }

    private static boolean loads(Path p) {
        try {
            System.load(p.toAbsolutePath().toString());
            return true;
        } catch (UnsatisfiedLinkError | SecurityException e) {
            return false;
        }
    }

    /** Whether a failure comes from ND4J's CUDA backend not loading (for a failing command's message). */
    static boolean isCudaFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if ((c instanceof LinkageError) && String.valueOf(c.getMessage()).toLowerCase().contains("cuda")) {
                return true;
            }
        }
        return false;
    }
}
