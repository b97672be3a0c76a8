package konomi.api.sink;

/**
 * How a run went, given to sinks when it completes.
 *
 * @param images  images processed without error
 * @param faces   faces found (or given)
 * @param errors  images that failed
 * @param seconds wall time of the run
 */
public record RunSummary(int images, int faces, int errors, double seconds) {
    public double imagesPerSecond() {
        return images / Math.max(seconds, 1e-9);
    }
}
