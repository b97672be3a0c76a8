package konomi.api.catalog;

import java.time.Instant;

/**
 * Which recorded images to list.
 *
 * @param since    only images last seen at or after this time, or null for all
 * @param minScore only images whose score is at least this, or null for all (images without a score are left out
 *                 when set)
 * @param top      at most this many, ranked by score (best first) when {@code byScore}, else newest first
 * @param byScore  rank by score instead of time
 */
public record CatalogQuery(Instant since, Double minScore, int top, boolean byScore) {
    public CatalogQuery {
        if (top < 1) {
            throw new konomi.api.KonomiException("--top must be at least 1, not " + top);
        }
    }
}
