package konomi.pipeline;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;

/**
 * A signal for "the services or configuration changed": waiters check their condition, and if it does not hold
 * yet, block on a promise that the next change resolves (bounded by a timeout). No polling: a waiter wakes only
 * on a change or when its time is up.
 */
final class Changes {
    private Deferred<Void> next = new Deferred<>();

    /** Wakes every waiter; called from DS bind/unbind/modified callbacks. */
    void signal() {
        Deferred<Void> d;
        synchronized (this) {
            d = next;
            next = new Deferred<>();
        }
        d.resolve(null); // outside the lock: resolving runs callbacks
    }

    private synchronized Promise<Void> nextChange() {
        return next.getPromise();
    }

    /**
     * The condition's value once it is non-null, checked now and after every change, or null when the timeout
     * passes first.
     */
    <T> T await(Supplier<T> condition, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            Promise<Void> change = nextChange(); // taken before the check, so a change in between is not missed
            T value = condition.get();
            if (value != null) {
                return value;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return null;
            }
            try {
                change.timeout(left).getFailure(); // resolved by the next change, or failed by the timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
