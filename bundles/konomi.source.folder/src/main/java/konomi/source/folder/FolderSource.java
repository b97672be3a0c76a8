package konomi.source.folder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Component;

import konomi.api.ImageSource;
import konomi.api.KonomiException;
import konomi.api.SourceItem;

/**
 * Images under a folder, recursively, in path order. Only paths are listed up front (a few hundred KB
 * for 10,000 files); each image's bytes are read when the consumer asks for them, so memory stays flat.
 * A single image file is accepted as a folder of one.
 */
@Component(property = "konomi.name=folder")
public class FolderSource implements ImageSource {

    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp");

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
        try {
            // Files.walk is lazy, but sorting needs every path: paths are small, pixels are not loaded here
            Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS);
            return walk.filter(Files::isRegularFile)
                    .filter(FolderSource::isImage)
                    .map(p -> new Entry(root.relativize(p).toString().replace('\\', '/'), p))
                    .sorted((a, b) -> a.id.compareTo(b.id))
                    .<SourceItem>map(e -> new FileItem(e.id, e.path))
                    .onClose(walk::close);
        } catch (IOException | UncheckedIOException e) {
            throw new KonomiException(location + ": cannot list folder: " + e.getMessage(), e);
        }
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && !n.startsWith(".") && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private record Entry(String id, Path path) {
    }

    private record FileItem(String id, Path path) implements SourceItem {
        @Override
        public URI location() {
            return path.toUri();
        }

        @Override
        public byte[] read() throws IOException {
            return Files.readAllBytes(path);
        }
    }
}
