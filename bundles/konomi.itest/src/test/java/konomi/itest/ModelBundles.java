package konomi.itest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

import konomi.api.model.ModelDescriptor;

/** Data-only model bundles made in the test, the way model:package makes them, but with any header. */
final class ModelBundles {

    /** Model bundles require the extender, as model:package writes them (ModelDescriptor.EXTENDER_REQUIREMENT). */
    static final String REQUIRE_EXTENDER = ModelDescriptor.EXTENDER_REQUIREMENT;

    private ModelBundles() {
    }

    /** A jar with a Konomi-Model header and one model file. */
    static byte[] jar(String symbolicName, String version, String header, String file, byte[] content) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        a.putValue(ModelDescriptor.HEADER, header);
        if (REQUIRE_EXTENDER != null) {
            a.putValue("Require-Capability", REQUIRE_EXTENDER);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, mf)) {
            jar.putNextEntry(new JarEntry(file));
            jar.write(content);
            jar.closeEntry();
        }
        return out.toByteArray();
    }

    /**
     * Installs and starts a detector model bundle {@code itest.model.<name>} whose model file
     * {@code model/m.txt} holds {@code content}. Installed through the test's context, so osgi-test
     * uninstalls it after the test if the test did not.
     */
    static Bundle installDetector(BundleContext context, String type, String name, String version, String content)
            throws IOException, BundleException {
        String header = "detector;type=" + type + ";name=" + name + ";file=model/m.txt";
        byte[] bytes = jar("itest.model." + name, version, header, "model/m.txt", content.getBytes(StandardCharsets.UTF_8));
        Bundle b;
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            b = context.installBundle("itest:model/" + name + "/" + version, in);
        }
        b.start();
        return b;
    }
}
