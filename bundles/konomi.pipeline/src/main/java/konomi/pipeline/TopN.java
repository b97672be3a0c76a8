package konomi.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The best {@code n} of a stream of items, in bounded memory: a heap holding at most n items, its worst on top,
 * so each offer costs O(log n) and memory does not grow with the stream. Ties keep the earlier item.
 */
final class TopN<T> {
    private record Entry<T>(T item, long seq) {
    }

    private final int n;
    private final Comparator<Entry<T>> better;
    private final PriorityQueue<Entry<T>> heap;
    private long seq;

    /** @param order best first */
    TopN(int n, Comparator<? super T> order) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
        this.n = n;
        Comparator<Entry<T>> byItem = (a, b) -> order.compare(a.item, b.item);
        this.better = byItem.thenComparingLong(Entry::seq);
        this.heap = new PriorityQueue<>(n + 1, better.reversed()); // worst first
    }

    /** Keeps the item if it is among the best n so far; returns whether it was kept. */
    boolean offer(T item) {
        Entry<T> e = new Entry<>(item, seq++);
        if (heap.size() < n) {
            heap.add(e);
            return true;
        }
        if (better.compare(e, heap.peek()) >= 0) {
            return false;
        }
        heap.poll();
        heap.add(e);
        return true;
    }

    /** Whether an item would be kept by {@link #offer}, without keeping it. */
    boolean wouldKeep(T item) {
        return heap.size() < n || better.compare(new Entry<>(item, seq), heap.peek()) < 0;
    }

    int size() {
        return heap.size();
    }

    /** The kept items, best first. */
    List<T> best() {
        List<Entry<T>> r = new ArrayList<>(heap);
        r.sort(better);
        return r.stream().map(Entry::item).toList();
    }
}
