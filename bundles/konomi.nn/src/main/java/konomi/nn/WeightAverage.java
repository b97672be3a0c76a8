package konomi.nn;

import org.deeplearning4j.nn.api.Model;

/**
 * An average of a network's weights (and batch-norm statistics, which DL4J keeps among the parameters), exponential
 * over steps or equal over epoch-end snapshots ({@link #include}, SWA): the network that is validated, sampled and
 * shipped. A generator's average draws smoother, more stable faces than the weights of any single step (Karras et al.,
 * Yazici et al.); a classifier's generalises a little better.
 */
public final class WeightAverage<N extends Model> {
    private final N average;
    private final double decay;

    /** Starts from {@code start}'s weights (a copy, or {@code start} itself when resuming a saved average). */
    public WeightAverage(N start, double decay, boolean copy) {
        this.average = copy ? Nets.copy(start) : start;
        this.decay = decay;
    }

    /**
     * Averages in the network's current weights. The decay ramps up as {@code (1+t)/(10+t)} up to its value (as
     * TensorFlow's moving averages do with a step count), so early, random weights do not linger in a short run.
     */
    public void update(Model net, int step) {
        double d = Math.min(decay, (1.0 + step) / (10.0 + step));
        average.params().muli(d).addi(net.params().mul(1 - d));
    }

    /**
     * Averages in the network's current weights as the {@code k}-th of equally weighted snapshots (k from 1): stochastic
     * weight averaging's running mean, where the decay above would favour the latest.
     */
    public void include(Model net, int k) {
        average.params().muli((k - 1.0) / k).addi(net.params().div(k));
    }

    public N network() {
        return average;
    }
}
