package konomi.model.extender;

import java.io.File;
import java.net.URL;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.fileinstall.ArtifactUrlTransformer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * FileInstall offers us every file in its folders; we take the OpenCV cascades in the deploy folder and give
 * back a {@code konomi-cascade:} URL whose content is a model bundle (see {@link CascadeBundles}). FileInstall
 * then installs, updates (file changed) and uninstalls (file deleted) that bundle like any other, the way
 * Karaf's blueprint deployer handles dropped xml.
 */
@Component(service = ArtifactUrlTransformer.class)
public class CascadeXmlTransformer implements ArtifactUrlTransformer {
    /** Files we turned into bundles (FileInstall calls us from its one thread, DS may call from another). */
    private final Set<Path> taken = ConcurrentHashMap.newKeySet();
    private Path deploy;

    @Activate
    void activate(BundleContext context) {
        deploy = DeployFolder.of(context);
    }

    @Override
    public boolean canHandle(File file) {
        Path p = file.toPath();
        if (!file.getName().toLowerCase(Locale.ROOT).endsWith(".xml") || !DeployFolder.holds(deploy, p)) {
            return false;
        }
        boolean cascade = file.isFile() && DeployFiles.xmlProblem(p) == null;
        if (!cascade && taken.remove(p) && file.exists()) {
            // no longer a cascade: FileInstall uninstalls its bundle and forgets the file; have it offered
            // again, so that UnusableFiles reports it
            DeployFolder.requeue(p);
        }
        return cascade;
    }

    @Override
    public URL transform(URL artifact) throws Exception {
        taken.add(Path.of(artifact.toURI()));
        return CascadeBundles.url(artifact);
    }
}
