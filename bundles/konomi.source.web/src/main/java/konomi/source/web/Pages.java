package konomi.source.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

import org.jsoup.Jsoup;

import konomi.api.KonomiException;
import konomi.api.fetch.FetchRequest;
import konomi.api.fetch.Fetched;
import konomi.api.fetch.Fetcher;
import konomi.source.web.common.HtmlImages;

/** Reading pages and locations for the web sources. */
final class Pages {
    private Pages() {
    }


    /** The images a page shows or links (fetched conditionally, as a document). */
    static List<URI> images(Fetcher fetcher, URI page) {
        Fetched f = fetcher.get(page, FetchRequest.document());
        try {
            return HtmlImages.find(Jsoup.parse(new ByteArrayInputStream(f.body()), f.charset(), f.uri().toString()));
        } catch (IOException e) {
            throw new KonomiException(page + ": cannot parse the page: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new KonomiException(page + ": cannot parse the page: " + e.getCause().getMessage(), e);
        }
    }
}
