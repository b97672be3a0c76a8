package konomi.fetch;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Spaces the starts of requests to one host: each caller reserves the next free slot under a short lock and then
 * waits for it outside the lock, so concurrent callers to one host queue up in order and other hosts are not held.
 */
final class HostPacer {
    private final Map<String, Long> next = new HashMap<>();

    /** Waits until a request to this host may start, {@code delayMs} after the previous start. */
    void await(String host, long delayMs) throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            Long free = next.get(host);
            long start = free == null || free - now < 0 ? now : free;
            next.put(host, start + TimeUnit.MILLISECONDS.toNanos(delayMs));
            wait = start - now;
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
