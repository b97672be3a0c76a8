package konomi.nn;

import java.util.concurrent.atomic.AtomicLong;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Keeping ND4J's native memory flat over long scoring and detection runs; shared by every network service. */
public final class NativeMemory {
    /** How often a long run asks for a full collection. */
    private static final long GC_EVERY_NANOS = 10_000_000_000L;
    private static final AtomicLong lastGc = new AtomicLong(System.nanoTime());

    private NativeMemory() {
    }

    /**
     * ND4J frees a buffer's small native record only once the collector has dealt with its Java object, and those
     * that reach the old generation wait for a full collection, which the serial collector rarely does: a
     * 100,000-image score:run grew 18% over a 10,000-image one. ND4J's own periodic GC would do this, but in M2.1
     * the CPU backend's CpuMemoryManager.isPeriodicGcActive() is always false. So a run asks for one full
     * collection every 10 s (50-100 ms each, about 1%); measured flat within 5% from 10,000 to 100,000 images at
     * the same speed (README, ScoreBench#peakRssIsFlatInTheNumberOfImages).
     */
    public static void collectPeriodically() {
        long now = System.nanoTime(), last = lastGc.get();
        if (now - last > GC_EVERY_NANOS && lastGc.compareAndSet(last, now)) {
            System.gc();
        }
    }

    /** Frees an array's buffer now when ND4J allows it (views and workspace arrays are left alone). */
    public static void close(INDArray a) {
        if (a != null && a.closeable()) {
            a.close();
        }
    }
}
