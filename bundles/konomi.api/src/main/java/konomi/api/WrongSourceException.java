package konomi.api;

/**
 * Thrown by {@link ImageSource#open(String)} when the location, once read, turns out to be another kind than this
 * source reads (a feed source given an HTML page ...). The pipeline then tries the next source that accepts the
 * location, by service ranking; the message is shown only when no other source takes it.
 */
public class WrongSourceException extends KonomiException {
    private static final long serialVersionUID = 1L;

    public WrongSourceException(String message) {
        super(message);
    }
}
