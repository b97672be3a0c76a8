package konomi.source.web.common;

import java.net.URI;

import konomi.api.KonomiException;
import konomi.api.SourceItem;
import konomi.api.fetch.FetchRequest;
import konomi.api.fetch.Fetcher;

/**
 * An image on the web, fetched (as an image: type, size and header checked) only when read; a bad one fails only
 * itself. Its id is its URL.
 */
public record WebItem(URI location, Fetcher fetcher) implements SourceItem {
    @Override
    public String id() {
        return location.toString();
    }

    @Override
    public byte[] read() {
        return fetcher.get(location, FetchRequest.image()).body();
    }

    /** An entry that could not be turned into images (a page that did not load ...): reading it gives the error. */
    public record Failed(String id, URI location, KonomiException error) implements SourceItem {
        @Override
        public byte[] read() {
            throw error;
        }
    }
}
