package konomi.source.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.api.ImageSource;
import konomi.api.KonomiException;
import konomi.api.ServiceProps;
import konomi.api.SourceItem;
import konomi.api.fetch.Fetcher;
import konomi.source.web.common.HttpUrls;
import konomi.source.web.common.HtmlImages;
import konomi.source.web.common.WebItem;

/**
 * A {@code .urls} text file: one image or page URL a line, {@code #} comments and blank lines ignored. A URL whose
 * path ends like an image file ({@code .jpg}, {@code .png} ...) is an image; any other is a page, expanded to its
 * images when the list is opened. Images appear once, in list order. A line that is not an http(s) URL, or a page
 * that cannot be read, becomes an item whose reading fails with that one-line error: the run reports it and goes
 * on. It ranks above the folder source, which would otherwise take the file for an (unreadable) image.
 */
@Component(property = {ServiceProps.NAME + "=" + UrlListSource.NAME, Constants.SERVICE_RANKING + ":Integer=" + UrlListSource.RANKING})
public class UrlListSource implements ImageSource {
    static final String NAME = "urls";
    static final int RANKING = 10;
    static final String SUFFIX = ".urls";

    @Reference
    Fetcher fetcher;

    public UrlListSource() {
    }

    UrlListSource(Fetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean accepts(String location) {
        String l = location.toLowerCase(Locale.ROOT);
        return l.endsWith(SUFFIX) && (!l.contains("://") || l.startsWith("file:"));
    }

    @Override
    public Stream<SourceItem> open(String location) {
        Path file;
        try {
            file = location.toLowerCase(Locale.ROOT).startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        } catch (IllegalArgumentException e) {
            throw new KonomiException(location + ": not a file name");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new KonomiException(location + ": file not found");
        } catch (CharacterCodingException e) {
            throw new KonomiException(location + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new KonomiException(location + ": cannot read: " + e.getMessage(), e);
        }
        Set<URI> seen = new LinkedHashSet<>();
        List<SourceItem> items = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            URI u = HttpUrls.parse(line);
            if (u == null) {
                String id = file.getFileName() + ":" + (i + 1);
                items.add(new WebItem.Failed(id, file.toUri(), new KonomiException(id + ": not an http(s) URL: " + line)));
            } else if (HtmlImages.isImagePath(u)) {
                if (seen.add(u)) {
                    items.add(new WebItem(u, fetcher));
                }
            } else {
                try {
                    for (URI image : Pages.images(fetcher, u)) {
                        if (seen.add(image)) {
                            items.add(new WebItem(image, fetcher));
                        }
                    }
                } catch (KonomiException e) {
                    items.add(new WebItem.Failed(u.toString(), u, e));
                }
            }
        }
        return items.stream();
    }
}
