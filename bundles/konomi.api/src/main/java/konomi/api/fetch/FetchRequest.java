package konomi.api.fetch;

/**
 * What a fetch is for and what it accepts.
 *
 * @param kind        a document (page, feed, URL list) or an image
 * @param maxBytes    larger bodies are refused without being read to the end
 * @param conditional send the validators (ETag, Last-Modified) of the last copy of this URL and take that copy
 *                    back on 304 Not Modified; documents only
 */
public record FetchRequest(Kind kind, long maxBytes, boolean conditional) {
    /** The default limit: 20 MB. */
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

    public static FetchRequest document() {
        return new FetchRequest(Kind.DOCUMENT, DEFAULT_MAX_BYTES, true);
    }

    public static FetchRequest image() {
        return new FetchRequest(Kind.IMAGE, DEFAULT_MAX_BYTES, false);
    }
}
