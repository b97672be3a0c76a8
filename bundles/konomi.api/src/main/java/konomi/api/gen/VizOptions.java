package konomi.api.gen;

/**
 * Options of {@link InputVisualiser#visualise}: gradient ascent on the picture with the regularisers that make the
 * result readable (Yosinski et al. 2015, Olah et al. 2017).
 *
 * @param steps        gradient steps
 * @param learningRate step size on the normalised gradient (pixel values are 0-1)
 * @param jitter       the picture is shifted by up to this many pixels before each step (robustness to shifts)
 * @param blurSigma    Gaussian blur applied every {@code blurEvery} steps (removes high-frequency noise); 0 for none
 * @param blurEvery    steps between blurs
 * @param l2           pull towards mid-grey, per step (keeps colours from saturating)
 * @param seed         the starting noise
 * @param scale        the saved picture is the network's input size times this (nearest neighbour), 1 to keep it
 */
public record VizOptions(int steps, double learningRate, int jitter, double blurSigma, int blurEvery, double l2, long seed, int scale) {
    public VizOptions {
        if (steps < 1 || steps > 100_000) {
            throw new konomi.api.KonomiException("--steps must be between 1 and 100000, not " + steps);
        }
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new konomi.api.KonomiException("--lr must be above 0 and at most 10, not " + learningRate);
        }
        if (jitter < 0 || jitter > 64 || blurEvery < 1 || !(blurSigma >= 0 && blurSigma <= 10) || !(l2 >= 0 && l2 <= 1) || scale < 1 || scale > 16) {
            throw new konomi.api.KonomiException("visualisation options out of range: jitter 0-64, blur sigma 0-10, blur every >= 1, l2 0-1, scale 1-16");
        }
    }

    /** 256 steps of 0.05, jitter 4 px, blur sigma 0.5 every 4 steps, l2 0.01, twice the input size. */
    public static VizOptions defaults() {
        return new VizOptions(256, 0.05, 4, 0.5, 4, 0.01, 1, 2);
    }
}
