package konomi.api.train;

/**
 * One epoch of training.
 *
 * @param metric         the validation metric early stopping watches (accuracy, spearman ...)
 * @param imagesPerSecond training throughput of this epoch
 * @param etaSeconds     estimated time to the last epoch
 * @param best           whether this epoch is the best so far (its weights are kept)
 */
public record EpochReport(int epoch, int epochs, double trainLoss, double valLoss, String metricName, double metric,
                          double learningRate, double imagesPerSecond, double seconds, double etaSeconds, boolean best) {
}
