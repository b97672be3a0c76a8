package konomi.sink.slack;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import konomi.api.catalog.Catalog;
import konomi.api.catalog.CatalogEntry;
import konomi.api.catalog.CatalogQuery;
import konomi.api.catalog.CatalogStats;
import konomi.api.catalog.Pending;
import konomi.api.catalog.Sighting;

/** The sent and pending parts of a catalog, in memory, keyed by location (no duplicates by hash). */
final class MemoryCatalog implements Catalog {
    final Set<String> sent = new HashSet<>();
    final List<Pending> pending = new ArrayList<>();
    private long ids;

    @Override
    public synchronized boolean wasSent(URI location, String sink) {
        return sent.contains(sink + " " + location);
    }

    @Override
    public synchronized void markSent(URI location, String sink, String detail) {
        sent.add(sink + " " + location);
    }

    @Override
    public synchronized void keepPending(URI location, String sink, String payload, String error) {
        int attempts = 1;
        for (Pending p : List.copyOf(pending)) {
            if (p.location().equals(location) && p.sink().equals(sink)) {
                pending.remove(p);
                attempts = p.attempts() + 1;
            }
        }
        pending.add(new Pending(++ids, location, sink, payload, error, attempts, Instant.now()));
    }

    @Override
    public synchronized List<Pending> pending(String sink) {
        return pending.stream().filter(p -> p.sink().equals(sink)).toList();
    }

    @Override
    public synchronized void dropPending(long pendingId) {
        pending.removeIf(p -> p.id() == pendingId);
    }

    @Override
    public boolean seen(URI location) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<CatalogEntry> duplicateOf(long phash) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long record(Sighting sighting) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<CatalogEntry> list(CatalogQuery query) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CatalogStats stats() {
        throw new UnsupportedOperationException();
    }
}
