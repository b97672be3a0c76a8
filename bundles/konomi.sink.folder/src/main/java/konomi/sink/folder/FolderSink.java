package konomi.sink.folder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.catalog.Catalog;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ResultSink;
import konomi.api.sink.RunInfo;
import konomi.api.sink.RunSummary;
import konomi.util.AtomicFile;

/**
 * {@code --sink folder:DIR}: copies each image with a face (above {@code --min-score} when given) into DIR, byte
 * for byte as the source gave it. DIR is a collection that grows run after run: a file of the same name is never
 * replaced; the copy gets a {@code -2}, {@code -3} ... suffix, unless it holds the same bytes (copied before).
 * With the catalog installed each copy is noted there as sent to {@code folder}, with the file it went to.
 */
@Component(property = {ResultSink.NAME + "=" + FolderSink.NAME, ResultSink.OUTPUT + "=" + ResultSink.OUTPUT_ADD})
public class FolderSink implements ResultSink {
    static final String NAME = "folder";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Catalog catalog;

    @Override
    public Session open(RunInfo run) {
        if (run.output() == null) {
            throw new KonomiException("the folder sink needs a folder: --sink folder:DIR");
        }
        Path dir = run.output();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new KonomiException(dir + ": not a folder (--sink folder:DIR copies images into a folder)");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new KonomiException(dir + ": cannot create folder: " + e.getMessage(), e);
        }
        return new Copier(dir, catalog);
    }

    /** The file name an image is copied under: the last part of its name, made safe for any file system. */
    static String fileName(String id) {
        String s = id;
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        s = s.substring(s.lastIndexOf('/') + 1);
        s = s.replaceAll("[^A-Za-z0-9._-]", "_");
        if (s.isEmpty() || s.startsWith(".")) {
            s = "image" + s;
        }
        return s.length() > 120 ? s.substring(s.length() - 120) : s;
    }

    private static final class Copier implements Session {
        private final Path dir;
        private final Catalog catalog;
        private int copied, same;

        Copier(Path dir, Catalog catalog) {
            this.dir = dir;
            this.catalog = catalog;
        }

        @Override
        public void accept(ImageResult result, Image image) {
            // without the bytes there is nothing faithful to copy (never called so by the pipeline)
        }

        @Override
        public void accept(ImageResult result, Image image, byte[] encoded) {
            if (result.failed() || result.faces().isEmpty() || encoded == null) {
                return;
            }
            String name = fileName(result.id());
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name, ext = dot > 0 ? name.substring(dot) : "";
            for (int n = 1; ; n++) {
                Path target = dir.resolve(n == 1 ? name : stem + "-" + n + ext);
                try {
                    if (Files.exists(target)) {
                        if (Files.size(target) == encoded.length && Arrays.equals(Files.readAllBytes(target), encoded)) {
                            same++;
                            return;
                        }
                        continue;
                    }
                } catch (IOException e) {
                    throw new KonomiException(target + ": cannot read: " + e.getMessage(), e);
                }
                try (AtomicFile f = new AtomicFile(target, false)) {
                    f.stream().write(encoded);
                    f.commit();
                    copied++;
                    if (catalog != null && result.location() != null) {
                        catalog.markSent(result.location(), NAME, target.toAbsolutePath().toString());
                    }
                    return;
                } catch (IOException e) {
                    throw new KonomiException(target + ": cannot write: " + e.getMessage(), e);
                }
            }
        }

        @Override
        public void complete(RunSummary summary) {
        }

        @Override
        public String note() {
            return String.format(Locale.ROOT, "folder: %d copied into %s%s", copied, dir.toAbsolutePath(),
                    same == 0 ? "" : ", " + same + " were there already");
        }

        @Override
        public void close() {
        }
    }
}
