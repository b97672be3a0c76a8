package konomi.api.catalog;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * A recorded image as {@code catalog:list} shows it.
 *
 * @param id        catalog id
 * @param source    the location of the run that first saw it
 * @param location  where it was read from
 * @param phash     perceptual hash
 * @param width     pixels
 * @param height    pixels
 * @param faces     faces found
 * @param score     its best face's score from the first scorer of its latest sighting, or null
 * @param scorer    that scorer's name and version ({@code preference 1.2.0}), or null
 * @param label     the first classifier's label for that face, or null
 * @param firstSeen when first seen
 * @param lastSeen  when last seen
 * @param sentTo    the sinks it was delivered by, in order
 */
public record CatalogEntry(long id, String source, URI location, long phash, int width, int height, int faces, Double score, String scorer,
                           String label, Instant firstSeen, Instant lastSeen, List<String> sentTo) {
    public CatalogEntry {
        sentTo = sentTo == null ? List.of() : List.copyOf(sentTo);
    }
}
