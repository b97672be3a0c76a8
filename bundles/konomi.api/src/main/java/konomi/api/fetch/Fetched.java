package konomi.api.fetch;

import java.net.URI;

/**
 * A fetched resource.
 *
 * @param uri         where it was finally read from (after redirects)
 * @param contentType the media type without parameters, lower case ({@code text/html}), or empty
 * @param charset     the charset parameter of the content type, or null
 * @param body        the bytes
 * @param notModified the server answered 304 and {@code body} is the copy kept from an earlier fetch
 */
public record Fetched(URI uri, String contentType, String charset, byte[] body, boolean notModified) {
}
