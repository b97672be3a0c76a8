package konomi.model.extender;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.felix.fileinstall.ArtifactInstaller;

/**
 * Claims the files in deploy/ that FileInstall would otherwise skip without a word: a jar that is no bundle the
 * framework would install (corrupt zip, no manifest, no symbolic name, malformed headers) and an xml that is
 * no OpenCV cascade. Each is reported as a FAILED model until it is deleted or fixed. Valid bundles and
 * cascades are left to FileInstall's bundle handler and {@link CascadeXmlTransformer}.
 */
final class UnusableFiles implements ArtifactInstaller {
    /** Where the verdicts go (the model registry). */
    interface Sink {
        void unusable(Path file, String reason);

        void usable(Path file);
    }

    private final Path deploy;
    private final Sink sink;

    UnusableFiles(Path deploy, Sink sink) {
        this.deploy = deploy;
        this.sink = sink;
    }

    @Override
    public boolean canHandle(File file) {
        return file.isFile() && DeployFolder.holds(deploy, file.toPath()) && problem(file.toPath()) != null;
    }

    @Override
    public void install(File file) {
        check(file.toPath());
    }

    @Override
    public void update(File file) {
        check(file.toPath());
    }

    @Override
    public void uninstall(File file) {
        sink.usable(file.toPath());
        if (file.exists()) {
            DeployFolder.requeue(file.toPath()); // fixed: let the bundle handler have it
        }
    }

    private void check(Path file) {
        String problem = problem(file);
        if (problem == null) {
            // fixed between FileInstall's two calls: give it up at the next scan
            sink.usable(file);
            DeployFolder.requeue(file);
        } else {
            sink.unusable(file, problem);
        }
    }

    /** Why the file is unusable, or null when it is a bundle, a cascade, or not ours to judge. */
    static String problem(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jar")) {
            return DeployFiles.jarProblem(file);
        }
        if (name.endsWith(".xml")) {
            return DeployFiles.xmlProblem(file);
        }
        return null;
    }
}
