package konomi.api.fetch;

import java.net.URI;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Gets http(s) resources for sources. Thread-safe; requests to one host are spaced by the configured delay, and a
 * path robots.txt disallows for Konomi's User-Agent is never requested.
 */
@ProviderType
public interface Fetcher {
    /**
     * Gets one resource, following redirects, retrying timeouts, 429 and 5xx with back-off (honouring
     * Retry-After).
     *
     * @throws konomi.api.KonomiException one line naming the URL and what is wrong: HTTP status, robots.txt
     *                                    forbids it, larger than the limit, wrong content type or not an image,
     *                                    timed out after the retries
     */
    Fetched get(URI uri, FetchRequest request);
}
