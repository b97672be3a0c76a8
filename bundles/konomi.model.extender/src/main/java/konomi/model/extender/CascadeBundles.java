package konomi.model.extender;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Path;
import java.util.Map;

import konomi.api.KonomiException;

/**
 * Cascade files as model bundles, the way Karaf's blueprint deployer turns a dropped xml into a bundle:
 * {@code konomi-cascade:file:/home/deploy/faces.xml} is a URL whose content is a model bundle built on the fly
 * from that file (symbolic name {@code konomi.model.cascade.faces}, name and version from the file name, see
 * {@link DeployFiles#nameAndVersion}). The bundle's location names the dropped file, nothing is written to disk,
 * and a changed file gives a new bundle when FileInstall updates it.
 */
final class CascadeBundles {
    static final String PROTOCOL = "konomi-cascade";
    /** Used for the URLs handed to FileInstall, so they work whether or not the framework's URL handlers do. */
    static final URLStreamHandler HANDLER = new URLStreamHandler() {
        @Override
        protected URLConnection openConnection(URL u) {
            return connection(u);
        }
    };

    private CascadeBundles() {
    }

    /** The bundle URL of a cascade file URL ({@code file:...}). */
    static URL url(URL file) throws MalformedURLException {
        return new URL(null, PROTOCOL + ":" + file.toExternalForm(), HANDLER);
    }

    /** The cascade file a {@code konomi-cascade:} URL or bundle location names. */
    static Path file(String url) {
        if (!url.startsWith(PROTOCOL + ":")) {
            throw new IllegalArgumentException(url + ": not a " + PROTOCOL + " URL");
        }
        try {
            return Path.of(new URI(url.substring(PROTOCOL.length() + 1)));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalArgumentException(url + ": does not name a file: " + e.getMessage(), e);
        }
    }

    /** The model bundle for this cascade file, as jar bytes. */
    static byte[] bundle(Path xml) throws IOException {
        String problem = DeployFiles.xmlProblem(xml);
        if (problem != null) {
            throw new IOException(xml + ": " + problem);
        }
        DeployFiles.NameVersion nv = DeployFiles.nameAndVersion(xml.getFileName().toString());
        String entry = "model/" + nv.name() + ".xml";
        String header = ModelHeader.format("detector", "cascade", nv.name(), entry, Map.of());
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelJar.write(xml, "konomi.model.cascade." + nv.name(), nv.version(), "Konomi cascade " + xml.getFileName(),
                    header, entry, out);
            return out.toByteArray();
        } catch (KonomiException | IOException e) {
            throw new IOException(xml + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IOException(xml + ": cannot build a model bundle: " + e, e);
        }
    }

    static URLConnection connection(URL u) {
        return new URLConnection(u) {
            private byte[] bytes;

            @Override
            public void connect() throws IOException {
                if (bytes == null) {
                    try {
                        bytes = bundle(file(u.toExternalForm()));
                    } catch (IllegalArgumentException e) {
                        throw new IOException(e.getMessage(), e);
                    }
                    connected = true;
                }
            }

            @Override
            public InputStream getInputStream() throws IOException {
                connect();
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public int getContentLength() {
                return bytes == null ? -1 : bytes.length;
            }

            @Override
            public String getContentType() {
                return "application/java-archive";
            }
        };
    }
}
