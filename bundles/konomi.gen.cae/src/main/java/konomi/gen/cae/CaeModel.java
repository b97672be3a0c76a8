package konomi.gen.cae;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import konomi.api.KonomiException;
import konomi.util.AtomicFile;

/**
 * A trained autoencoder as one model file: a zip holding the encoder's and the decoder's DL4J zips (the
 * discriminators stay in the training checkpoints).
 */
final class CaeModel {
    static final String ENCODER = "encoder.zip", DECODER = "decoder.zip";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaeModel() {
    }

    static void write(Path target, MultiLayerNetwork encoder, MultiLayerNetwork decoder) {
        try (AtomicFile f = new AtomicFile(target, true)) {
            ZipOutputStream zip = new ZipOutputStream(f.stream());
            for (String name : new String[] {ENCODER, DECODER}) {
                zip.putNextEntry(new ZipEntry(name));
                ModelSerializer.writeModel(name.equals(ENCODER) ? encoder : decoder, new Unclosable(zip), false);
                zip.closeEntry();
            }
            zip.finish();
            f.commit();
        } catch (IOException e) {
            throw new KonomiException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    static MultiLayerNetwork read(String where, Path file, String entry) {
        try (ZipFile zip = new ZipFile(file.toFile()); InputStream in = open(where, zip, entry)) {
            return ModelSerializer.restoreMultiLayerNetwork(in, false);
        } catch (IOException | RuntimeException e) {
            throw e instanceof KonomiException k ? k : new KonomiException(where + ": cannot load the " + entry + " network (" + e.getMessage() + ")");
        }
    }

    /** The input width of the first layer of one of the networks, read without ND4J. */
    static long firstInputs(String where, Path file, String entry) {
        try (ZipFile zip = new ZipFile(file.toFile()); InputStream in = open(where, zip, entry);
             java.util.zip.ZipInputStream inner = new java.util.zip.ZipInputStream(in)) {
            for (ZipEntry e = inner.getNextEntry(); e != null; e = inner.getNextEntry()) {
                if (e.getName().equals("configuration.json")) {
                    JsonNode first = JSON.readTree(inner.readAllBytes()).path("confs").path(0).path("layer");
                    return first.path("nin").asLong(-1);
                }
            }
            throw new KonomiException(where + ": " + entry + " is not a DL4J model zip (no configuration.json)");
        } catch (IOException e) {
            throw new KonomiException(where + ": not an autoencoder model (" + e.getMessage() + ")");
        }
    }

    private static InputStream open(String where, ZipFile zip, String entry) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        if (e == null) {
            throw new KonomiException(where + ": not an autoencoder model (no " + entry + " inside)");
        }
        return zip.getInputStream(e);
    }

    /** ModelSerializer closes the stream it writes to; the zip must stay open for the next entry. */
    private static final class Unclosable extends java.io.FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
