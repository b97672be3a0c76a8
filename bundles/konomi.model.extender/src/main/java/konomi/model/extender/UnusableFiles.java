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

        /** Whether the file is reported as unusable now. */
        boolean reported(Path file);
    }

    private final Path deploy;
    private final Sink sink;

    UnusableFiles(Path deploy, Sink sink) {
        this.deploy = deploy;
        this.sink = sink;
    }

    @Override
    public boolean canHandle(File file) {
        if (!DeployFolder.holds(deploy, file.toPath())) {
            return false;
        }
        if (!file.exists()) {
            // FileInstall looks for a listener of a deleted file it had none for (after our restart): take our own
            return sink.reported(file.toPath());
        }
        return file.isFile() && problem(file.toPath()) != null;
    }

    /**
     * Reports the unusable files already in the deploy folder. FileInstall offers a file only when it changes, so
     * after the extender restarts the files it had rejected before would otherwise be missing from the list.
     */
    void reportExisting() {
        if (deploy == null) {
            return;
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(deploy)) {
            files.filter(f -> !f.getFileName().toString().startsWith(".") && java.nio.file.Files.isRegularFile(f)).forEach(f -> {
                String problem = problem(f);
                if (problem != null) {
                    sink.unusable(f, problem);
                }
            });
        } catch (java.io.IOException e) {
            // no deploy folder yet: nothing to report
        }
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
