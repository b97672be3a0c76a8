package konomi.api.catalog;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The record of every image seen and every image sent. One service, backed by a database (an embedded one in the
 * Konomi home by default). Thread-safe: runs, sinks and commands call it at the same time.
 *
 * <p>Two images are the same picture when their perceptual hashes differ in at most the configured number of bits
 * (a resized or recompressed repost is the same picture); see {@link #duplicateOf}.
 *
 * @throws konomi.api.KonomiException from every method, one line, when the database cannot be used
 */
@ProviderType
public interface Catalog {
    /**
     * Opens the database now instead of at first use (a run calls it as it starts, on a thread of its own, so that
     * opening overlaps loading the networks). Does nothing once open; a failure is told by the next call that needs it.
     */
    default void open() {
    }

    /** Whether an image was recorded from exactly this location (a URL or file URI), before reading it. */
    boolean seen(URI location);

    /** The recorded picture whose hash is nearest to this one within the configured distance, if any. */
    Optional<CatalogEntry> duplicateOf(long phash);

    /**
     * Records one processed image with its faces and scores; a second sighting of the same location updates its
     * record (its scores, last seen time) and keeps where it was sent.
     *
     * @return the image's catalog id
     */
    long record(Sighting sighting);

    /**
     * Records several sightings, as {@link #record} does each in turn; an implementation may do it in one transaction
     * (a run records a chunk of pictures at once).
     *
     * @return their catalog ids, in order
     */
    default List<Long> recordAll(List<Sighting> sightings) {
        return sightings.stream().map(this::record).toList();
    }

    /**
     * Whether the picture at this location, or a duplicate of it ({@link #duplicateOf}), was already sent to the
     * named sink. A location never recorded was never sent.
     */
    boolean wasSent(URI location, String sink);

    /** Notes that the picture at this location (recorded before) was delivered by the named sink. */
    void markSent(URI location, String sink, String detail);

    /**
     * Keeps a delivery that failed, to retry on the sink's next run: its payload is whatever the sink needs to
     * send it again (a JSON message ...). Keeping the same location for the same sink again replaces it.
     */
    void keepPending(URI location, String sink, String payload, String error);

    /** The deliveries kept for this sink, oldest first. */
    List<Pending> pending(String sink);

    /** Drops a kept delivery (it was sent, or is no longer wanted). */
    void dropPending(long pendingId);

    /** Recorded images, newest first, filtered and cut as the query says. */
    List<CatalogEntry> list(CatalogQuery query);

    CatalogStats stats();
}
