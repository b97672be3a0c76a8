package konomi.api;

import java.io.IOException;
import java.net.URI;

/**
 * One image offered by an {@link ImageSource}. Bytes are read on demand so that a source of 10,000
 * images holds only the one being processed.
 */
public interface SourceItem {
    /** Stable name used in tables and reports, e.g. the path relative to the source folder. */
    String id();

    URI location();

    /** The encoded image bytes (jpg, png, bmp, webp ...). */
    byte[] read() throws IOException;
}
