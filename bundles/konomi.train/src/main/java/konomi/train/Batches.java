package konomi.train;

import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import konomi.api.Box;
import konomi.api.Image;
import konomi.api.train.Recipe;
import konomi.imaging.Images;
import konomi.nn.Nets;
import konomi.nn.Tensors;

/**
 * Turns cached images into network batches: a random zoom when asked, a random {@code size} crop, a horizontal flip and colour jitter
 * (brightness, contrast, saturation ±20%) when augmenting, a share turned to grey when asked, then CutMix in a share of
 * the batches; the centre crop otherwise. Labels are one-hot, or smoothed (classification), or the target value (regression).
 */
final class Batches {
    private final ImageCache cache;
    private final int size, classes;
    private final boolean channelsLast;
    private double smoothing, cutmix;

    /** Batches for {@code net}, in the layout it takes (see {@link Nets#channelsLast}). */
    Batches(ImageCache cache, int size, int classes, Model net) {
        this.cache = cache;
        this.size = size;
        this.classes = classes;
        this.channelsLast = Nets.channelsLast(net);
    }

    /** Training batches with the recipe's label smoothing and CutMix (validation batches stay plain). */
    Batches training(Recipe recipe) {
        smoothing = recipe.smoothing();
        cutmix = recipe.cutmix();
        return this;
    }

    DataSet batch(int[] order, int from, int to, konomi.api.train.Augment augment, SplittableRandom rnd) {
        return batch(order, from, to, augment, rnd, false);
    }

    /** A batch; {@code mirror} flips every picture (the flip test's second pass). */
    DataSet batch(int[] order, int from, int to, konomi.api.train.Augment augment, SplittableRandom rnd, boolean mirror) {
        int n = to - from, per = 3 * size * size;
        float[] x = new float[n * per];
        float[] y = new float[n * Math.max(1, classes)];
        byte[] crop = new byte[size * size * 3];
        for (int i = 0; i < n; i++) {
            int idx = order[from + i];
            Sample s = cache.samples.get(idx);
            byte[] src = cache.pixels.get(idx);
            int side = cache.side;
            if (augment.zoom()) {
                src = zoomed(src, side, rnd);
                side = size;
            }
            int slack = side - size;
            int ox = augment.crop() ? rnd.nextInt(slack + 1) : slack / 2, oy = augment.crop() ? rnd.nextInt(slack + 1) : slack / 2;
            boolean flip = mirror != (augment.flip() && rnd.nextBoolean());
            cut(src, side, ox, oy, flip, crop);
            Tensors.chw(crop, 3, size, x, i * per);
            if (augment.jitter()) {
                jitter(x, i * per, size * size, 0.8f + 0.4f * (float) rnd.nextDouble(), 0.8f + 0.4f * (float) rnd.nextDouble(),
                        0.8f + 0.4f * (float) rnd.nextDouble());
            }
            if (augment.grey() && rnd.nextDouble() < konomi.api.train.Augment.GREY_SHARE) {
                jitter(x, i * per, size * size, 1, 1, 0); // saturation 0: every pixel its luma
            }
            if (classes > 0) {
                float off = (float) (smoothing / classes);
                for (int c = 0; c < classes; c++) {
                    y[i * classes + c] = off;
                }
                y[i * classes + s.label()] += (float) (1 - smoothing);
            } else {
                y[i] = (float) s.target();
            }
        }
        if (cutmix > 0 && n > 1 && rnd != null && rnd.nextDouble() < cutmix) {
            cutMix(x, y, n, rnd);
        }
        INDArray features = Nd4j.create(x, new long[] {n, 3, size, size}, 'c');
        if (channelsLast) {
            features = Tensors.channelsLast(features);
        }
        INDArray labels = Nd4j.create(y, new long[] {n, Math.max(1, classes)}, 'c');
        return new DataSet(features, labels);
    }

    /**
     * CutMix: each picture gets a rectangle of another picture of the batch (area share {@code 1 - lambda},
     * lambda uniform), its label or target the area-weighted mix of both.
     */
    private void cutMix(float[] x, float[] y, int n, SplittableRandom rnd) {
        int per = 3 * size * size, plane = size * size, k = Math.max(1, classes);
        float[] x0 = x.clone(), y0 = y.clone();
        int[] partner = shuffled(n, rnd);
        for (int i = 0; i < n; i++) {
            int j = partner[i];
            if (j == i) {
                continue;
            }
            double cut = Math.sqrt(1 - rnd.nextDouble());
            int w = (int) Math.round(size * cut), cx = rnd.nextInt(size), cy = rnd.nextInt(size);
            int x1 = Math.max(0, cx - w / 2), x2 = Math.min(size, cx + w / 2), y1 = Math.max(0, cy - w / 2), y2 = Math.min(size, cy + w / 2);
            if (x2 <= x1 || y2 <= y1) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                for (int r = y1; r < y2; r++) {
                    int at = c * plane + r * size + x1;
                    System.arraycopy(x0, j * per + at, x, i * per + at, x2 - x1);
                }
            }
            float share = (float) ((x2 - x1) * (y2 - y1)) / plane;
            for (int c = 0; c < k; c++) {
                y[i * k + c] = (1 - share) * y0[i * k + c] + share * y0[j * k + c];
            }
        }
    }

    /**
     * A random square of 3/4 of the input size up to the whole cached face, at a random place, resized to the input
     * size: between 0.75x and {@code side/size} (1.125x) the framing validation sees.
     */
    private byte[] zoomed(byte[] src, int side, SplittableRandom rnd) {
        int least = size * 3 / 4, w = least + rnd.nextInt(side - least + 1);
        int x = rnd.nextInt(side - w + 1), y = rnd.nextInt(side - w + 1);
        Image window = Images.crop(new Image("zoom", side, side, 3, src), new Box(x, y, x + w, y + w));
        return Images.resize(window, size, size).pixels();
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
