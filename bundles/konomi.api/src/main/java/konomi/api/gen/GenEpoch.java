package konomi.api.gen;

/**
 * One epoch of generator training. Quality figures are NaN when the epoch was not measured.
 *
 * @param discriminatorLoss mean discriminator loss over the epoch's steps
 * @param generatorLoss     mean generator loss
 * @param fid               Fréchet distance between samples and training faces on the feature network
 * @param kid               kernel distance (unbiased MMD², cubic kernel) on the same features
 * @param faceness          share of samples in which the {@code animeface} cascade finds a face at twice their size
 * @param diversity         mean pairwise feature distance of samples over that of training faces (1: as varied)
 * @param copies            share of samples within the catalog's duplicate distance (perceptual hash) of a training face
 * @param imagesPerSecond   training throughput (real pictures per second)
 */
public record GenEpoch(int epoch, int epochs, double discriminatorLoss, double generatorLoss, double fid, double kid,
                       double faceness, double diversity, double copies, double imagesPerSecond, double seconds,
                       double etaSeconds) {
}
