package konomi.itest;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Waits on services with trackers: a signal or a timeout, never a sleep. Open a watch BEFORE the action
 * that should make the service come or go, so an event that comes quickly is not missed.
 */
final class Await {
    /** Generous: loading is asynchronous in the extender, and CI machines are slow and shared. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Await() {
    }

    /** Services of one type matching a filter, as they come and go. */
    static final class Watch<S> implements AutoCloseable {
        private final ServiceTracker<S, S> tracker;
        private final Filter filter;
        private final BlockingQueue<S> added = new LinkedBlockingQueue<>();
        private final BlockingQueue<S> removed = new LinkedBlockingQueue<>();

        Watch(BundleContext context, Class<S> type, String filter) {
            this.filter = filter(type, filter);
            tracker = new ServiceTracker<>(context, this.filter, null) {
                @Override
                public S addingService(ServiceReference<S> reference) {
                    S s = super.addingService(reference);
                    added.add(s);
                    return s;
                }

                @Override
                public void removedService(ServiceReference<S> reference, S service) {
                    removed.add(service);
                    super.removedService(reference, service);
                }
            };
            tracker.open();
        }

        /** The next service to appear (or one already there when the watch opened). */
        S awaitAdded() throws InterruptedException {
            return take(added, "no service appeared");
        }

        /** The next service to go away. */
        S awaitRemoved() throws InterruptedException {
            return take(removed, "no service went away");
        }

        ServiceReference<S> reference(S service) {
            return tracker.getTracked().entrySet().stream().filter(e -> e.getValue() == service)
                    .map(java.util.Map.Entry::getKey).findFirst().orElseThrow();
        }

        private <T> T take(BlockingQueue<T> queue, String what) throws InterruptedException {
            return Await.take(queue, what + " matching " + filter);
        }

        @Override
        public void close() {
            tracker.close();
        }
    }

    static <S> Watch<S> watch(BundleContext context, Class<S> type, String filter) {
        return new Watch<>(context, type, filter);
    }

    /** The next element of a queue that test doubles fill, or a failure after {@link #TIMEOUT}. */
    static <T> T take(BlockingQueue<T> queue, String what) throws InterruptedException {
        T t = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (t == null) {
            throw new AssertionError("timed out after " + TIMEOUT.toSeconds() + " s: " + what);
        }
        return t;
    }

    static Filter filter(Class<?> type, String filter) {
        String f = "(objectClass=" + type.getName() + ")";
        try {
            return FrameworkUtil.createFilter(filter == null ? f : "(&" + f + filter + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
