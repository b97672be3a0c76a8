package konomi.catalog;

import java.util.Arrays;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Every recorded image's (id, perceptual hash) in two parallel arrays, scanned with {@link Long#bitCount}: a
 * million images take about a millisecond, whatever the database. Thread-safe (scans share a read lock).
 */
final class HashIndex {
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private long[] ids = new long[1024];
    private long[] hashes = new long[1024];
    private int size;
    private long maxId;

    /** Adds an image, or changes the hash of one already there. */
    void put(long id, long phash) {
        lock.writeLock().lock();
        try {
            if (id <= maxId) {
                for (int i = size - 1; i >= 0; i--) {
                    if (ids[i] == id) {
                        hashes[i] = phash;
                        return;
                    }
                }
            }
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                hashes = Arrays.copyOf(hashes, size * 2);
            }
            ids[size] = id;
            hashes[size] = phash;
            size++;
            maxId = Math.max(maxId, id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The highest id held (0 when empty): rows above it were recorded by someone else since the load. */
    long maxId() {
        lock.readLock().lock();
        try {
            return maxId;
        } finally {
            lock.readLock().unlock();
        }
    }

    int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The id whose hash is nearest to this one within the distance (the oldest of equals), or -1. */
    long nearest(long phash, int distance) {
        lock.readLock().lock();
        try {
            long best = -1;
            int bestD = distance + 1;
            for (int i = 0; i < size; i++) {
                int d = Long.bitCount(hashes[i] ^ phash);
                if (d < bestD || d == bestD && ids[i] < best) {
                    bestD = d;
                    best = ids[i];
                }
            }
            return best;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every id whose hash is within the distance of this one. */
    long[] within(long phash, int distance) {
        lock.readLock().lock();
        try {
            long[] out = new long[8];
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (Long.bitCount(hashes[i] ^ phash) <= distance) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = ids[i];
                }
            }
            return Arrays.copyOf(out, n);
        } finally {
            lock.readLock().unlock();
        }
    }
}
