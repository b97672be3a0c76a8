package konomi.api.fetch;

/**
 * What a fetch is for and what it accepts.
 *
 * @param kind        a document (page, feed, URL list) or an image
 * @param maxBytes    larger bodies are refused without being read to the end; the fetcher applies the smaller of
 *                    this and its own configured limit ({@link #DEFAULT_MAX_BYTES} unless configured), so
 *                    {@link Long#MAX_VALUE} means "the configured limit"
 * @param conditional send the validators (ETag, Last-Modified) of the last copy of this URL and take that copy
 *                    back on 304 Not Modified; documents only
 */
public record FetchRequest(Kind kind, long maxBytes, boolean conditional) {
    /** The fetcher's default limit: 20 MB. */
    public static final long DEFAULT_MAX_BYTES = 20L << 20;

    public enum Kind {
        /** HTML, XML (RSS, Atom), plain text: any text content type. */
        DOCUMENT,
        /** An image: an {@code image/*} content type (or a generic binary one) and an image header Konomi decodes. */
        IMAGE
    }

    public FetchRequest {
        if (kind == null) {
            throw new IllegalArgumentException("kind");
        }
        if (maxBytes <= 0) {
            throw new konomi.api.KonomiException("the size limit must be positive, not " + maxBytes);
        }
    }

    /** A document, conditional, up to the fetcher's configured limit. */
    public static FetchRequest document() {
        return new FetchRequest(Kind.DOCUMENT, Long.MAX_VALUE, true);
    }

    /** An image, up to the fetcher's configured limit. */
    public static FetchRequest image() {
        return new FetchRequest(Kind.IMAGE, Long.MAX_VALUE, false);
    }
}
