package konomi.api;

/**
 * A failure to report to the user as one line: the message names the file or thing and what is wrong.
 * Commands let it propagate; the shell prints its message (and the stack trace only with --debug).
 */
public class KonomiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KonomiException(String message) {
        super(message);
    }

    public KonomiException(String message, Throwable cause) {
        super(message, cause);
    }
}
