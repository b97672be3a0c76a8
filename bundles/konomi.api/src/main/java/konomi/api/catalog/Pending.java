package konomi.api.catalog;

import java.net.URI;
import java.time.Instant;

/**
 * A delivery that failed and is kept to retry.
 *
 * @param id       its id, for {@link Catalog#dropPending}
 * @param location the picture
 * @param sink     the sink that failed to deliver it
 * @param payload  what the sink needs to send it again
 * @param error    the last failure, one line
 * @param attempts how many runs tried it
 * @param since    when it first failed
 */
public record Pending(long id, URI location, String sink, String payload, String error, int attempts, Instant since) {
}
