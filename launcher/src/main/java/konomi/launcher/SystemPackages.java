package konomi.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The packages of the launcher's class path (DL4J, ND4J, JavaCPP, OpenCV, SLF4J) as the value of
 * {@code org.osgi.framework.system.packages.extra}, so bundles import them from the system bundle and
 * native libraries load once per JVM. Jars that carry an OSGi {@code Export-Package} are taken at their
 * word (with versions); for the others every package holding classes is exported without a version.
 * The result is cached per class path (names, sizes, times), since listing ~70 jars costs ~0.3 s.
 */
final class SystemPackages {
    private SystemPackages() {
    }

    static String of(List<Path> jars, Path cacheDir) throws IOException {
        String key = Integer.toHexString(fingerprint(jars).hashCode());
        Path cache = cacheDir.resolve("system-packages-" + key + ".txt");
        if (Files.isRegularFile(cache)) {
            return Files.readString(cache, StandardCharsets.UTF_8);
        }
        String value = compute(jars);
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempFile(cacheDir, ".system-packages", ".tmp");
        Files.writeString(tmp, value, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING);
        }
        return value;
    }

    static String compute(List<Path> jars) throws IOException {
        Map<String, String> exports = new LinkedHashMap<>();
        for (Path jar : jars) {
            try (JarFile jf = new JarFile(jar.toFile())) {
                Manifest mf = jf.getManifest();
                String header = mf == null ? null : mf.getMainAttributes().getValue("Export-Package");
                if (mf != null && "org.apache.felix.framework".equals(mf.getMainAttributes().getValue("Bundle-SymbolicName"))) {
                    continue; // the system bundle exports the framework's own packages
                }
                if (header != null) {
                    for (String clause : splitClauses(header)) {
                        exports.putIfAbsent(clause.split(";", 2)[0].trim(), clause);
                    }
                } else {
                    TreeSet<String> pkgs = new TreeSet<>();
                    for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
                        String n = en.nextElement().getName();
                        int slash = n.lastIndexOf('/');
                        if (n.endsWith(".class") && slash > 0 && !n.startsWith("META-INF/")) {
                            pkgs.add(n.substring(0, slash).replace('/', '.'));
                        }
                    }
                    pkgs.stream().filter(p -> !p.startsWith("java.")).forEach(p -> exports.putIfAbsent(p, p));
                }
            }
        }
        return String.join(",", exports.values());
    }

    /** Splits an OSGi header at top-level commas (not inside quotes). */
    static List<String> splitClauses(String header) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().trim());
        }
        return out;
    }

    private static String fingerprint(List<Path> jars) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path j : jars) {
            sb.append(j.getFileName()).append(':').append(Files.size(j)).append(':').append(Files.getLastModifiedTime(j).toMillis()).append(';');
        }
        return sb.toString();
    }

    static List<Path> jarsIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }
}
