package konomi.api.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * What the catalog holds.
 *
 * @param database  where it is (a JDBC URL without password)
 * @param images    images recorded
 * @param faces     faces recorded
 * @param sent      deliveries recorded
 * @param pending   deliveries kept for retry
 * @param first     first sighting, or null when empty
 * @param last      last sighting, or null when empty
 * @param bySource  images per source location
 * @param bySink    deliveries per sink
 */
public record CatalogStats(String database, long images, long faces, long sent, long pending, Instant first, Instant last,
                           Map<String, Long> bySource, Map<String, Long> bySink) {
    public CatalogStats {
        bySource = bySource == null ? Map.of() : Map.copyOf(bySource);
        bySink = bySink == null ? Map.of() : Map.copyOf(bySink);
    }
}
