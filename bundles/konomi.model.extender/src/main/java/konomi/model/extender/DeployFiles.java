package konomi.model.extender;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipException;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.Version;

import aQute.bnd.header.Attrs;
import aQute.bnd.header.OSGiHeader;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Processor;

/**
 * What a file dropped into deploy/ is, read without installing it: a bundle FileInstall can install, a
 * cascade xml, or neither (with a one-line reason).
 */
final class DeployFiles {
    /** {@code name-1.2.0.xml}: a version at the end of a file name. */
    private static final Pattern VERSIONED = Pattern.compile("(.+?)-(\\d+(?:\\.\\d+){0,2})");
    private static final List<String> HEADERS = List.of("Import-Package", "Export-Package", "DynamicImport-Package",
            "Require-Bundle", "Fragment-Host", "Require-Capability", "Provide-Capability");

    private DeployFiles() {
    }

    /** A model name and version taken from a file name. */
    record NameVersion(String name, Version version) {
    }

    /**
     * Why this jar is not a bundle the framework would install, in one line, or null when it is one. Checks what
     * FileInstall and Felix refuse: no zip, no manifest, no symbolic name, malformed versions, headers or filters.
     */
    static String jarProblem(Path jar) {
        Manifest mf;
        try (JarFile j = new JarFile(jar.toFile())) {
            mf = j.getManifest();
        } catch (ZipException e) {
            return "not a jar (corrupt zip: " + e.getMessage() + ")";
        } catch (IOException | SecurityException e) {
            return "unreadable jar or manifest: " + message(e);
        }
        if (mf == null) {
            return "not an OSGi bundle (no META-INF/MANIFEST.MF)";
        }
        Attributes a = mf.getMainAttributes();
        String bsn = a.getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            return "not an OSGi bundle (no Bundle-SymbolicName in the manifest)";
        }
        String mv = a.getValue("Bundle-ManifestVersion");
        if (mv != null && !mv.trim().equals("1") && !mv.trim().equals("2")) {
            return "broken manifest: Bundle-ManifestVersion '" + mv + "' is not 1 or 2";
        }
        String v = a.getValue("Bundle-Version");
        if (v != null) {
            try {
                Version.parseVersion(v.trim());
            } catch (IllegalArgumentException e) {
                return "broken manifest: Bundle-Version '" + v + "' is not a version";
            }
        }
        Processor reporter = new Processor();
        Parameters name = OSGiHeader.parseHeader(bsn, reporter);
        if (name.size() != 1 || !name.keySet().iterator().next().matches("[\\w.\\-]+")) {
            return "broken manifest: Bundle-SymbolicName '" + bsn + "' is not a symbolic name";
        }
        for (String h : HEADERS) {
            String value = a.getValue(h);
            if (value == null) {
                continue;
            }
            Parameters p = OSGiHeader.parseHeader(value, reporter);
            if (!reporter.isOk()) {
                return "broken manifest: " + h + ": " + reporter.getErrors().get(0);
            }
            for (Attrs attrs : p.values()) {
                String filter = attrs.get("filter:");
                if (filter != null) {
                    try {
                        FrameworkUtil.createFilter(filter);
                    } catch (InvalidSyntaxException e) {
                        return "broken manifest: " + h + " filter " + filter + " is invalid: " + e.getMessage();
                    }
                }
                for (String key : new String[] {"version", "bundle-version"}) {
                    String range = attrs.get(key);
                    if (range != null && !validRange(range)) {
                        return "broken manifest: " + h + " " + key + " '" + range + "' is not a version or range";
                    }
                }
            }
        }
        return null;
    }

    /**
     * Why this xml is not an OpenCV cascade, in one line, or null when it is one: {@code <opencv_storage>} holding
     * a {@code <cascade>} (the new format) or an element with {@code type_id="opencv-haar-classifier"} (the old).
     * Only the first two elements are read.
     */
    static String xmlProblem(Path xml) {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try (InputStream in = Files.newInputStream(xml)) {
            XMLStreamReader r = f.createXMLStreamReader(in);
            try {
                String root = nextElement(r);
                if (root == null) {
                    return "not an OpenCV cascade (no root element)";
                }
                if (!root.equals("opencv_storage")) {
                    return "not an OpenCV cascade (root element <" + root + ">, not <opencv_storage>)";
                }
                String first = nextElement(r);
                String typeId = first == null ? null : r.getAttributeValue(null, "type_id");
                if ("cascade".equals(first) || (typeId != null && typeId.contains("haar-classifier"))) {
                    return null;
                }
                return "not an OpenCV cascade (<opencv_storage> holds " + (first == null ? "nothing" : "<" + first + ">")
                        + ", not <cascade>)";
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            return "not well-formed XML: " + message(e).replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "unreadable: " + message(e);
        }
    }

    /**
     * The model name and version a cascade file gives: {@code faces.xml} is faces 1.0.0, {@code faces-1.2.xml} is
     * faces 1.2.0. Characters a model name may not hold become '-'.
     */
    static NameVersion nameAndVersion(String fileName) {
        String base = fileName.replaceFirst("(?i)\\.xml$", "");
        Version v = Version.valueOf("1.0.0");
        Matcher m = VERSIONED.matcher(base);
        if (m.matches()) {
            base = m.group(1);
            v = Version.valueOf(m.group(2));
        }
        String name = base.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[._-]+", "");
        if (name.isEmpty()) {
            name = "cascade";
        }
        return new NameVersion(name.length() > 64 ? name.substring(0, 64) : name, v);
    }

    private static String nextElement(XMLStreamReader r) throws XMLStreamException {
        while (r.hasNext()) {
            if (r.next() == XMLStreamReader.START_ELEMENT) {
                return r.getLocalName();
            }
        }
        return null;
    }

    private static boolean validRange(String range) {
        String s = range.trim();
        try {
            if (s.startsWith("[") || s.startsWith("(")) {
                new org.osgi.framework.VersionRange(s);
            } else {
                Version.parseVersion(s);
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
