package konomi.source.folder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Component;

import konomi.api.ImageSource;
import konomi.api.KonomiException;
import konomi.api.ServiceProps;
import konomi.api.SourceItem;

/**
 * Images under a folder, recursively, in path order. Only relative names are listed up front (as strings, about
 * 100 bytes an image: 10 MB for 100,000); each image's bytes are read when the consumer asks for them, so memory
 * stays flat. The stream knows its size, so a consumer can show a total without reading anything. A single image
 * file is accepted as a folder of one. A file above {@link #MAX_BYTES} is refused when read, not loaded.
 */
@Component(property = ServiceProps.NAME + "=folder")
public class FolderSource implements ImageSource {

    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp");
    /** Larger files are refused rather than read into memory (no image Konomi can decode is this big). */
    static final long MAX_BYTES = 200L << 20;

    @Override
    public String name() {
        return "folder";
    }

    @Override
    public boolean accepts(String location) {
        if (location.contains("://")) {
            return location.startsWith("file://");
        }
        try {
            Path.of(location);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    @Override
    public Stream<SourceItem> open(String location) {
        Path root = location.startsWith("file://") ? Path.of(URI.create(location)) : Path.of(location);
        if (!Files.exists(root)) {
            throw new KonomiException(location + ": folder not found");
        }
        if (Files.isRegularFile(root)) {
            if (!isImage(root)) {
                throw new KonomiException(location + ": not an image file (expected " + String.join("/", EXTENSIONS.stream().sorted().toList()) + ")");
            }
            return Stream.of(new FileItem(root.getFileName().toString(), root));
        }
        if (!Files.isReadable(root)) {
            throw new KonomiException(location + ": folder not readable");
        }
        // sorting needs every name: keep names only (strings), resolve paths one at a time while streaming
        List<String> ids = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            walk.filter(FolderSource::isImage).filter(Files::isRegularFile)
                    .forEach(p -> ids.add(root.relativize(p).toString().replace('\\', '/')));
        } catch (IOException | UncheckedIOException e) {
            throw new KonomiException(location + ": cannot list folder: " + e.getMessage(), e);
        }
        ids.sort(null);
        // a list's stream is SIZED: consumers learn the total from its spliterator
        return ids.stream().map(id -> new FileItem(id, root.resolve(id)));
    }

    static boolean isImage(Path p) {
        Path name = p.getFileName();
        if (name == null) {
            return false;
        }
        String n = name.toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && !n.startsWith(".") && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private record FileItem(String id, Path path) implements SourceItem {
        @Override
        public URI location() {
            return path.toUri();
        }

        @Override
        public byte[] read() throws IOException {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new KonomiException(String.format(Locale.ROOT, "%s: file too large (%.0f MB; the limit is %d MB)", id,
                        size / 1048576.0, MAX_BYTES >> 20));
            }
            return Files.readAllBytes(path);
        }
    }
}
