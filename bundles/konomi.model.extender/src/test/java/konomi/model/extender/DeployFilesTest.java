package konomi.model.extender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Version;

class DeployFilesTest {
    @TempDir
    Path dir;

    @Test
    void aBundleIsFine() throws IOException {
        assertThat(DeployFiles.jarProblem(jar("ok.jar", "Bundle-SymbolicName", "a.b", "Bundle-Version", "1.2.3",
                "Require-Capability", "osgi.extender;filter:=\"(osgi.extender=konomi.model)\"",
                "Import-Package", "org.x;version=\"[1,2)\""))).isNull();
    }

    @Test
    void jarsThatAreNoBundlesSayWhy() throws IOException {
        Path noManifest = dir.resolve("plain.jar");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(noManifest))) {
            z.putNextEntry(new ZipEntry("a.txt"));
            z.write(1);
        }
        assertThat(DeployFiles.jarProblem(noManifest)).isEqualTo("not an OSGi bundle (no META-INF/MANIFEST.MF)");
        assertThat(DeployFiles.jarProblem(jar("nobsn.jar", "Bundle-Version", "1.0.0")))
                .isEqualTo("not an OSGi bundle (no Bundle-SymbolicName in the manifest)");
        Path corrupt = Files.write(dir.resolve("corrupt.jar"), "PK\u0003\u0004 this is not a zip".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(DeployFiles.jarProblem(corrupt)).startsWith("not a jar (corrupt zip: ");
        assertThat(DeployFiles.jarProblem(Files.write(dir.resolve("empty.jar"), new byte[0]))).startsWith("not a jar (corrupt zip: ");
    }

    @Test
    void brokenManifestsSayWhichHeader() throws IOException {
        assertThat(DeployFiles.jarProblem(jar("v.jar", "Bundle-SymbolicName", "a", "Bundle-Version", "one")))
                .isEqualTo("broken manifest: Bundle-Version 'one' is not a version");
        assertThat(DeployFiles.jarProblem(jar("mv.jar", "Bundle-SymbolicName", "a", "Bundle-ManifestVersion", "3")))
                .isEqualTo("broken manifest: Bundle-ManifestVersion '3' is not 1 or 2");
        assertThat(DeployFiles.jarProblem(jar("f.jar", "Bundle-SymbolicName", "a", "Require-Capability", "osgi.extender;filter:=\"(&(a=b)\"")))
                .startsWith("broken manifest: Require-Capability filter (&(a=b) is invalid");
        assertThat(DeployFiles.jarProblem(jar("r.jar", "Bundle-SymbolicName", "a", "Import-Package", "org.x;version=\"[1,x)\"")))
                .isEqualTo("broken manifest: Import-Package version '[1,x)' is not a version or range");
        assertThat(DeployFiles.jarProblem(jar("bsn.jar", "Bundle-SymbolicName", "a b")))
                .isEqualTo("broken manifest: Bundle-SymbolicName 'a b' is not a symbolic name");
        // a manifest java.util.jar cannot read at all
        Path garbled = dir.resolve("garbled.jar");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(garbled))) {
            z.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            z.write("Manifest-Version: 1.0\nthis line has no colon\n\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(DeployFiles.jarProblem(garbled)).startsWith("unreadable jar or manifest: ");
    }

    @Test
    void cascadesAreToldApartFromOtherXml() throws IOException {
        assertThat(DeployFiles.xmlProblem(xml("new.xml", "<?xml version=\"1.0\"?>\n<!-- c -->\n<opencv_storage>\n<cascade><stageType>BOOST</stageType></cascade></opencv_storage>")))
                .isNull();
        assertThat(DeployFiles.xmlProblem(xml("old.xml", "<opencv_storage><haarcascade_frontalface type_id=\"opencv-haar-classifier\"/></opencv_storage>")))
                .isNull();
        assertThat(DeployFiles.xmlProblem(xml("other.xml", "<opencv_storage><not-a-cascade/></opencv_storage>")))
                .isEqualTo("not an OpenCV cascade (<opencv_storage> holds <not-a-cascade>, not <cascade>)");
        assertThat(DeployFiles.xmlProblem(xml("pom.xml", "<project/>")))
                .isEqualTo("not an OpenCV cascade (root element <project>, not <opencv_storage>)");
        assertThat(DeployFiles.xmlProblem(xml("bad.xml", "<opencv_storage><cascade")))
                .startsWith("not well-formed XML: ");
        assertThat(DeployFiles.xmlProblem(xml("dtd.xml", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><opencv_storage>&e;</opencv_storage>")))
                .isNotNull();
    }

    @Test
    void namesAndVersionsComeFromTheFileName() {
        assertThat(DeployFiles.nameAndVersion("faces.xml")).isEqualTo(new DeployFiles.NameVersion("faces", Version.valueOf("1.0.0")));
        assertThat(DeployFiles.nameAndVersion("my-faces-1.2.xml")).isEqualTo(new DeployFiles.NameVersion("my-faces", Version.valueOf("1.2.0")));
        assertThat(DeployFiles.nameAndVersion("faces-2-1.0.0.xml")).isEqualTo(new DeployFiles.NameVersion("faces-2", Version.valueOf("1.0.0")));
        assertThat(DeployFiles.nameAndVersion("my faces (1).XML").name()).isEqualTo("my-faces--1-");
        assertThat(DeployFiles.nameAndVersion(".xml").name()).isEqualTo("cascade");
    }

    @Test
    void aCascadeBecomesAModelBundleThatRequiresTheExtender() throws Exception {
        Path x = xml("eyes-1.1.xml", "<opencv_storage><cascade/></opencv_storage>");
        byte[] bundle = CascadeBundles.bundle(x);
        Path j = Files.write(dir.resolve("b.jar"), bundle);
        try (java.util.jar.JarFile jf = new java.util.jar.JarFile(j.toFile())) {
            Attributes a = jf.getManifest().getMainAttributes();
            assertThat(a.getValue("Bundle-SymbolicName")).isEqualTo("konomi.model.cascade.eyes");
            assertThat(a.getValue("Bundle-Version")).isEqualTo("1.1.0");
            assertThat(a.getValue("Require-Capability")).contains("osgi.extender=konomi.model");
            assertThat(ModelHeader.parse(a.getValue("Konomi-Model"), "b", "1.1.0", "l").file()).isEqualTo("model/eyes.xml");
            assertThat(jf.getInputStream(jf.getEntry("model/eyes.xml")).readAllBytes()).isEqualTo(Files.readAllBytes(x));
        }
        assertThat(CascadeBundles.bundle(x)).as("same file, same bytes").isEqualTo(bundle);
        java.net.URL url = CascadeBundles.url(x.toUri().toURL());
        assertThat(url.toString()).startsWith("konomi-cascade:file:");
        assertThat(CascadeBundles.file(url.toString())).isEqualTo(x);
        try (var in = url.openStream()) {
            assertThat(in.readAllBytes()).isEqualTo(bundle);
        }
        assertThat(ModelExtender.sourceOf(url.toString())).isEqualTo(x.toRealPath());
        assertThat(ModelExtender.sourceOf("reference:" + x.toUri())).isEqualTo(x.toRealPath());
        assertThat(ModelExtender.sourceOf("mvn:a/b/1")).isNull();
    }

    private Path jar(String name, String... headers) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < headers.length; i += 2) {
            mf.getMainAttributes().putValue(headers[i], headers[i + 1]);
        }
        Path p = dir.resolve(name);
        try (OutputStream o = Files.newOutputStream(p); JarOutputStream j = new JarOutputStream(o, mf)) {
            j.putNextEntry(new JarEntry("x.txt"));
            j.write(1);
        }
        return p;
    }

    private Path xml(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
