package konomi.train;

import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import konomi.nn.Nets;
import konomi.nn.Tensors;

/**
 * Turns cached images into network batches: a random {@code size} crop, a horizontal flip and colour jitter
 * (brightness, contrast, saturation ±20%) when augmenting; the centre crop otherwise. Labels are one-hot
 * (classification) or the target value (regression).
 */
final class Batches {
    private final ImageCache cache;
    private final int size, classes;
    private final boolean channelsLast;

    /** Batches for {@code net}, in the layout it takes (see {@link Nets#channelsLast}). */
    Batches(ImageCache cache, int size, int classes, MultiLayerNetwork net) {
        this.cache = cache;
        this.size = size;
        this.classes = classes;
        this.channelsLast = Nets.channelsLast(net);
    }

    DataSet batch(int[] order, int from, int to, konomi.api.train.Augment augment, SplittableRandom rnd) {
        int n = to - from, per = 3 * size * size;
        float[] x = new float[n * per];
        float[] y = new float[n * Math.max(1, classes)];
        byte[] crop = new byte[size * size * 3];
        for (int i = 0; i < n; i++) {
            int idx = order[from + i];
            Sample s = cache.samples.get(idx);
            int slack = cache.side - size;
            int ox = augment.crop() ? rnd.nextInt(slack + 1) : slack / 2, oy = augment.crop() ? rnd.nextInt(slack + 1) : slack / 2;
            boolean flip = augment.flip() && rnd.nextBoolean();
            cut(cache.pixels.get(idx), cache.side, ox, oy, flip, crop);
            Tensors.chw(crop, 3, size, x, i * per);
            if (augment.jitter()) {
                jitter(x, i * per, size * size, 0.8f + 0.4f * (float) rnd.nextDouble(), 0.8f + 0.4f * (float) rnd.nextDouble(),
                        0.8f + 0.4f * (float) rnd.nextDouble());
            }
            if (classes > 0) {
                y[i * classes + s.label()] = 1f;
            } else {
                y[i] = (float) s.target();
            }
        }
        INDArray features = Nd4j.create(x, new long[] {n, 3, size, size}, 'c');
        if (channelsLast) {
            features = Tensors.channelsLast(features);
        }
        INDArray labels = Nd4j.create(y, new long[] {n, Math.max(1, classes)}, 'c');
        return new DataSet(features, labels);
    }

    private void cut(byte[] src, int side, int ox, int oy, boolean flip, byte[] dst) {
        for (int y = 0; y < size; y++) {
            int row = ((oy + y) * side + ox) * 3;
            if (!flip) {
                System.arraycopy(src, row, dst, y * size * 3, size * 3);
            } else {
                for (int x = 0; x < size; x++) {
                    int s = row + (size - 1 - x) * 3, d = (y * size + x) * 3;
                    dst[d] = src[s];
                    dst[d + 1] = src[s + 1];
                    dst[d + 2] = src[s + 2];
                }
            }
        }
    }

    /** Brightness, contrast (around mid grey) and saturation (around the pixel's luma) on CHW RGB floats. */
    static void jitter(float[] x, int off, int plane, float brightness, float contrast, float saturation) {
        for (int i = 0; i < plane; i++) {
            float r = x[off + i], g = x[off + plane + i], b = x[off + 2 * plane + i];
            float luma = 0.299f * r + 0.587f * g + 0.114f * b;
            x[off + i] = clamp(((luma + (r - luma) * saturation) * brightness - 0.5f) * contrast + 0.5f);
            x[off + plane + i] = clamp(((luma + (g - luma) * saturation) * brightness - 0.5f) * contrast + 0.5f);
            x[off + 2 * plane + i] = clamp(((luma + (b - luma) * saturation) * brightness - 0.5f) * contrast + 0.5f);
        }
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    static int[] shuffled(int n, SplittableRandom rnd) {
        int[] order = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    List<Sample> samples() {
        return cache.samples;
    }
}
