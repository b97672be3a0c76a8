package konomi.fetch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import konomi.util.AtomicFile;

/**
 * The last body of each URL fetched conditionally, with its validators (ETag, Last-Modified), one file per URL
 * (named by the SHA-256 of the URL) written atomically: validators and body always belong together.
 */
final class ValidatorStore {
    private static final Logger LOG = LoggerFactory.getLogger(ValidatorStore.class);
    private static final int MAGIC = 0x4B4F4E31; // "KON1"

    /** A kept copy; empty strings for absent values. */
    record Kept(String etag, String lastModified, String contentType, String charset, byte[] body) {
    }

    private final Path dir;

    ValidatorStore(Path dir) {
        this.dir = dir;
    }

    Path file(URI uri) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(uri.toString().getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(h) + ".bin");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kept copy of this URL, or null (none, or unreadable: then it is simply fetched again). */
    Kept load(URI uri) {
        Path f = file(uri);
        try (InputStream in = Files.newInputStream(f); DataInputStream d = new DataInputStream(in)) {
            if (d.readInt() != MAGIC || !d.readUTF().equals(uri.toString())) {
                return null;
            }
            String etag = d.readUTF(), lastModified = d.readUTF(), contentType = d.readUTF(), charset = d.readUTF();
            byte[] body = new byte[d.readInt()];
            d.readFully(body);
            return new Kept(etag, lastModified, contentType, charset, body);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: unreadable kept copy of {}, fetching it whole: {}", f, uri, e.toString());
            return null;
        }
    }

    void save(URI uri, Kept k) {
        try (AtomicFile a = new AtomicFile(file(uri), true)) {
            DataOutputStream d = new DataOutputStream(a.stream());
            d.writeInt(MAGIC);
            d.writeUTF(uri.toString());
            d.writeUTF(k.etag());
            d.writeUTF(k.lastModified());
            d.writeUTF(k.contentType());
            d.writeUTF(k.charset());
            d.writeInt(k.body().length);
            d.write(k.body());
            d.flush();
            a.commit();
        } catch (IOException | RuntimeException e) {
            // the fetch itself succeeded: without a kept copy the next one is simply not conditional
            LOG.warn("{}: cannot keep a copy of {}: {}", dir, uri, e.getMessage());
        }
    }
}
