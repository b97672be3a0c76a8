package konomi.api.pipeline;

/**
 * Where a run is.
 *
 * @param done            images handled so far (including failed ones)
 * @param total           images in the run, or -1 when the source cannot tell without reading them all
 * @param faces           faces found so far
 * @param errors          images failed so far
 * @param seconds         since the run started
 */
public record Progress(int done, int total, int faces, int errors, double seconds) {
    public double imagesPerSecond() {
        return done / Math.max(seconds, 1e-9);
    }

    /** Seconds left at the current rate, or -1 when the total is unknown. */
    public double etaSeconds() {
        return total < 0 ? -1 : (total - done) / Math.max(imagesPerSecond(), 1e-9);
    }
}
