package konomi.source.feed;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.xml.sax.InputSource;

import com.rometools.modules.mediarss.MediaEntryModule;
import com.rometools.modules.mediarss.MediaModule;
import com.rometools.modules.mediarss.types.MediaContent;
import com.rometools.modules.mediarss.types.MediaGroup;
import com.rometools.modules.mediarss.types.Metadata;
import com.rometools.modules.mediarss.types.Thumbnail;
import com.rometools.modules.mediarss.types.UrlReference;
import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEnclosure;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedInput;

import konomi.api.ImageSource;
import konomi.api.KonomiException;
import konomi.api.ServiceProps;
import konomi.api.SourceItem;
import konomi.api.WrongSourceException;
import konomi.api.fetch.FetchRequest;
import konomi.api.fetch.Fetched;
import konomi.api.fetch.Fetcher;
import konomi.source.web.common.HttpUrls;
import konomi.source.web.common.WebItem;
import konomi.source.web.common.HtmlImages;

/**
 * The images of an RSS or Atom feed (parsed by Rome), item by item in feed order: image enclosures, Media RSS
 * {@code media:content} images (a {@code media:thumbnail} only for an item without any other image: it is a small
 * copy), and the images in the item's HTML (description and content). Each image appears once.
 * <p>
 * It ranks above the page source and takes every http(s) URL first: the feed is fetched conditionally (an unchanged
 * feed costs a 304), and when it turns out to be an HTML page it throws {@link WrongSourceException} so that the
 * page source reads it instead.
 */
@Component(property = {ServiceProps.NAME + "=" + FeedSource.NAME, Constants.SERVICE_RANKING + ":Integer=" + FeedSource.RANKING})
public class FeedSource implements ImageSource {
    static final String NAME = "feed";
    static final int RANKING = 100;

    @Reference
    Fetcher fetcher;

    public FeedSource() {
    }

    FeedSource(Fetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean accepts(String location) {
        return HttpUrls.parse(location) != null;
    }

    @Override
    public Stream<SourceItem> open(String location) {
        URI uri = HttpUrls.require(location);
        Fetched f = fetcher.get(uri, FetchRequest.document());
        if (isHtml(f)) {
            throw new WrongSourceException(uri + ": not a feed (" + (f.contentType().isEmpty() ? "an HTML page" : f.contentType()) + ")");
        }
        SyndFeed feed = parse(uri, f);
        URI base = f.uri();
        Set<URI> seen = new LinkedHashSet<>();
        for (SyndEntry e : feed.getEntries()) {
            seen.addAll(images(e, base));
        }
        List<SourceItem> items = new ArrayList<>(seen.size());
        for (URI u : seen) {
            items.add(new WebItem(u, fetcher));
        }
        return items.stream();
    }


    /** An HTML page by its type, or by its first tag when the type says nothing (text/plain, none). */
    static boolean isHtml(Fetched f) {
        String t = f.contentType();
        if (t.equals("text/html") || t.equals("application/xhtml+xml")) {
            return true;
        }
        if (t.contains("xml")) {
            return false;
        }
        String head = new String(f.body(), 0, Math.min(f.body().length, 512), StandardCharsets.ISO_8859_1).stripLeading()
                .replace("\u00ef\u00bb\u00bf", "").toLowerCase(Locale.ROOT);
        return head.startsWith("<!doctype html") || head.startsWith("<html");
    }

    private static SyndFeed parse(URI uri, Fetched f) {
        SyndFeedInput input = new SyndFeedInput();
        input.setAllowDoctypes(false);
        InputSource source = new InputSource(new ByteArrayInputStream(f.body()));
        if (f.charset() != null && Charset.isSupported(f.charset())) {
            source = new InputSource(new InputStreamReader(new ByteArrayInputStream(f.body()), Charset.forName(f.charset())));
        }
        source.setSystemId(uri.toString());
        // JAXP and Rome look for their implementations through the context class loader: make it this bundle's
        Thread t = Thread.currentThread();
        ClassLoader tccl = t.getContextClassLoader();
        t.setContextClassLoader(FeedSource.class.getClassLoader());
        try {
            return input.build(source);
        } catch (FeedException | IllegalArgumentException e) {
            throw new KonomiException(uri + ": not a valid feed (" + firstLine(e) + ")");
        } finally {
            t.setContextClassLoader(tccl);
        }
    }

    private static String firstLine(Throwable e) {
        Throwable c = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
        String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        return m.lines().findFirst().orElse(m).strip();
    }

    /** One item's images: enclosures, media:content, its HTML; a thumbnail only when there is nothing else. */
    static List<URI> images(SyndEntry e, URI feedUri) {
        URI base = feedUri;
        if (e.getLink() != null) {
            try {
                base = feedUri.resolve(e.getLink().strip());
            } catch (IllegalArgumentException ignored) {
                // a broken item link: resolve against the feed
            }
        }
        Set<URI> found = new LinkedHashSet<>();
        for (SyndEnclosure enc : e.getEnclosures()) {
            URI u = resolve(feedUri, enc.getUrl());
            String type = enc.getType() == null ? "" : enc.getType().toLowerCase(Locale.ROOT);
            if (u != null && (type.startsWith("image/") || type.isEmpty() && HtmlImages.isImagePath(u))) {
                found.add(u);
            }
        }
        List<URI> thumbnails = new ArrayList<>();
        if (e.getModule(MediaModule.URI) instanceof MediaEntryModule m) {
            List<MediaContent> contents = new ArrayList<>(List.of(m.getMediaContents()));
            for (MediaGroup g : m.getMediaGroups()) {
                contents.addAll(List.of(g.getContents()));
                thumbnails(g.getMetadata(), feedUri, thumbnails);
            }
            for (MediaContent c : contents) {
                URI u = c.getReference() instanceof UrlReference r && r.getUrl() != null ? resolve(feedUri, r.getUrl().toString()) : null;
                String medium = c.getMedium() == null ? "" : c.getMedium().toLowerCase(Locale.ROOT);
                String type = c.getType() == null ? "" : c.getType().toLowerCase(Locale.ROOT);
                if (u != null && (medium.equals("image") || type.startsWith("image/") || medium.isEmpty() && type.isEmpty() && HtmlImages.isImagePath(u))) {
                    found.add(u);
                }
                thumbnails(c.getMetadata(), feedUri, thumbnails);
            }
            thumbnails(m.getMetadata(), feedUri, thumbnails);
        }
        List<String> html = new ArrayList<>();
        if (e.getDescription() != null) {
            html.add(e.getDescription().getValue());
        }
        for (SyndContent c : e.getContents()) {
            html.add(c.getValue());
        }
        for (String h : html) {
            if (h != null && h.contains("<")) {
                found.addAll(HtmlImages.find(h, base));
            }
        }
        if (found.isEmpty()) {
            found.addAll(thumbnails);
        }
        return new ArrayList<>(found);
    }

    private static void thumbnails(Metadata md, URI base, List<URI> into) {
        if (md == null || md.getThumbnail() == null) {
            return;
        }
        for (Thumbnail t : md.getThumbnail()) {
            URI u = t.getUrl() == null ? null : resolve(base, t.getUrl().toString());
            if (u != null) {
                into.add(u);
            }
        }
    }

    private static URI resolve(URI base, String ref) {
        if (ref == null || ref.isBlank()) {
            return null;
        }
        try {
            URI u = base.resolve(ref.strip().replace(" ", "%20"));
            String s = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return s.equals("http") || s.equals("https") ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
