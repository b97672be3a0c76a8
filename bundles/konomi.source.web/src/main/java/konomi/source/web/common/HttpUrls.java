package konomi.source.web.common;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import konomi.api.KonomiException;

/** What the web sources count as a location of theirs. */
public final class HttpUrls {
    private HttpUrls() {
    }

    /** An absolute http(s) URL with a host, or null when the text is not one (spaces are taken as %20). */
    public static URI parse(String text) {
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            return null;
        }
        try {
            URI u = new URI(t.replace(" ", "%20"));
            return u.getHost() == null ? null : u;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The location as {@link #parse} reads it, or a one-line error naming it when it is not an http(s) URL. */
    public static URI require(String location) {
        URI u = parse(location);
        if (u == null) {
            throw new KonomiException(location + ": not an http(s) URL");
        }
        return u;
    }
}
