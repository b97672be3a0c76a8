package konomi.api.train;

import java.nio.file.Path;
import java.util.List;

/**
 * Options of {@link Pretrainer#pretrain}.
 *
 * @param epochs       passes over the pictures
 * @param batch        pictures per step (each gives two views, so a step holds twice as many rows)
 * @param size         input size in pixels (square): that of the scorers to be fine-tuned from the base
 * @param learningRate peak learning rate (Adam, cosine schedule)
 * @param weightDecay  L2 weight decay
 * @param net          the network to pretrain: {@code face}, {@code wide}, {@code deep} or {@code res} (as train:run's {@code --net})
 * @param seed         initialisation and shuffling seed
 * @param exclude      train:run folders or their {@code split.json} files: their validation and test pictures are
 *                     left out, so a scorer fine-tuned from the base is still measured on pictures it never saw
 * @param resume       resume from the output folder's checkpoint when there is one
 * @param workers      image-loading threads
 */
public record PretrainOptions(int epochs, int batch, int size, double learningRate, double weightDecay, String net, long seed,
                              List<Path> exclude, boolean resume, int workers) {
    public PretrainOptions {
        Check.range("epochs", epochs, 1, 10_000);
        Check.range("batch", batch, 2, 4096);
        Check.range("size", size, 16, 1024);
        Check.range("lr", learningRate, 1e-7, 10);
        Check.range("weight decay", weightDecay, 0, 1);
        net = new Recipe(net, 0, 0, 0, false, 0, false).net(); // the same names and the same error as train:run's --net
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        Check.range("workers", workers, 1, 64);
    }

    /** 20 epochs of 64 pictures at 96 px, lr 0.001, weight decay 1e-4, the deep network, seed 42, resuming. */
    public static PretrainOptions defaults() {
        return new PretrainOptions(20, 64, 96, 0.001, 1e-4, Recipe.DEEP, 42, List.of(), true, 2);
    }

    public PretrainOptions withEpochs(int v) {
        return new PretrainOptions(v, batch, size, learningRate, weightDecay, net, seed, exclude, resume, workers);
    }

    public PretrainOptions withBatch(int v) {
        return new PretrainOptions(epochs, v, size, learningRate, weightDecay, net, seed, exclude, resume, workers);
    }

    public PretrainOptions withSize(int v) {
        return new PretrainOptions(epochs, batch, v, learningRate, weightDecay, net, seed, exclude, resume, workers);
    }

    public PretrainOptions withLearningRate(double v) {
        return new PretrainOptions(epochs, batch, size, v, weightDecay, net, seed, exclude, resume, workers);
    }

    public PretrainOptions withNet(String v) {
        return new PretrainOptions(epochs, batch, size, learningRate, weightDecay, v, seed, exclude, resume, workers);
    }

    public PretrainOptions withSeed(long v) {
        return new PretrainOptions(epochs, batch, size, learningRate, weightDecay, net, v, exclude, resume, workers);
    }

    public PretrainOptions withExclude(List<Path> v) {
        return new PretrainOptions(epochs, batch, size, learningRate, weightDecay, net, seed, v, resume, workers);
    }

    public PretrainOptions withResume(boolean v) {
        return new PretrainOptions(epochs, batch, size, learningRate, weightDecay, net, seed, exclude, v, workers);
    }
}
