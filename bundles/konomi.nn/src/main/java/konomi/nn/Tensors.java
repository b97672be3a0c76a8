package konomi.nn;

import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import konomi.api.Box;
import konomi.api.Image;
import konomi.imaging.Images;

/**
 * Images to network input: NCHW float, RGB order, scaled to [0, 1] ({@link ModelMeta#RGB01}); {@link Nets#input}
 * turns a batch channels-last for networks that take NHWC. Trainer and scorers both go through here, so what a
 * model was trained on is what it is fed.
 */
public final class Tensors {
    private Tensors() {
    }

    /** Writes one BGR (or grey) {@code size x size} image into {@code out} at {@code offset} as CHW RGB in [0, 1]. */
    public static void chw(byte[] bgr, int channels, int size, float[] out, int offset) {
        int plane = size * size;
        for (int i = 0; i < plane; i++) {
            int b, g, r;
            if (channels == 3) {
                b = bgr[i * 3] & 0xff;
                g = bgr[i * 3 + 1] & 0xff;
                r = bgr[i * 3 + 2] & 0xff;
            } else {
                b = g = r = bgr[i] & 0xff;
            }
            out[offset + i] = r / 255f;
            out[offset + plane + i] = g / 255f;
            out[offset + 2 * plane + i] = b / 255f;
        }
    }

    /** The side images are resized to before the {@code size} crop (random in training, centred otherwise). */
    public static int cropFrom(int size) {
        return (int) Math.round(size * 1.125);
    }

    /** The largest centred square of an image (faces are square; other shapes lose their edges). */
    public static Image squareCentre(Image img) {
        int s = Math.min(img.width(), img.height());
        if (img.width() == img.height()) {
            return img;
        }
        int x = (img.width() - s) / 2, y = (img.height() - s) / 2;
        return Images.crop(img, new Box(x, y, x + s, y + s));
    }

    /**
     * What a network sees of a face crop at inference: the centred square, resized to {@link #cropFrom},
     * then its centre {@code size x size} — exactly the validation path of training.
     */
    public static Image faceInput(Image face, int size) {
        int side = cropFrom(size), o = (side - size) / 2;
        return Images.crop(Images.resize(squareCentre(face), side, side), new Box(o, o, o + size, o + size));
    }

    /** An NCHW batch as a channels-last (NHWC) copy, for networks that take that layout. */
    public static INDArray channelsLast(INDArray nchw) {
        return nchw.permute(0, 2, 3, 1).dup('c');
    }

    /** The mirror image (left-right) of an NCHW batch, as a new array. */
    public static INDArray mirrored(INDArray nchw) {
        return mirrored(nchw, false);
    }

    /** The mirror image (left-right) of an NCHW or channels-last (NHWC) batch, as a new array. */
    public static INDArray mirrored(INDArray x, boolean channelsLast) {
        long[] shape = x.shape();
        int w = (int) shape[channelsLast ? 2 : 3], px = channelsLast ? (int) shape[3] : 1, row = w * px;
        float[] d = x.dup('c').data().asFloat();
        for (int r = 0; r < d.length; r += row) {
            for (int i = 0, j = w - 1; i < j; i++, j--) {
                for (int c = 0; c < px; c++) {
                    float t = d[r + i * px + c];
                    d[r + i * px + c] = d[r + j * px + c];
                    d[r + j * px + c] = t;
                }
            }
        }
        return array(d, shape);
    }

    /** A batch of face crops as network input (see {@link #faceInput}). */
    public static INDArray batch(List<Image> images, int size) {
        return batch(images, size, false);
    }

    /**
     * A batch of face crops as network input, NCHW or channels-last (NHWC): the layout a network takes written
     * directly, since a permuted copy of the whole batch cost a scorer as much as converting the pixels.
     */
    public static INDArray batch(List<Image> images, int size, boolean channelsLast) {
        int per = 3 * size * size;
        float[] data = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            Image img = faceInput(images.get(i), size);
            if (channelsLast) {
                hwc(img.pixels(), img.channels(), size, data, i * per);
            } else {
                chw(img.pixels(), img.channels(), size, data, i * per);
            }
        }
        return array(data, channelsLast ? new long[] {images.size(), size, size, 3} : new long[] {images.size(), 3, size, size});
    }

    /** Writes one BGR (or grey) {@code size x size} image into {@code out} at {@code offset} as HWC RGB in [0, 1]. */
    static void hwc(byte[] bgr, int channels, int size, float[] out, int offset) {
        int plane = size * size;
        for (int i = 0, o = offset; i < plane; i++, o += 3) {
            int k = i * channels;
            out[o] = UNIT[bgr[k + (channels == 3 ? 2 : 0)] & 0xff];
            out[o + 1] = UNIT[bgr[k + (channels == 3 ? 1 : 0)] & 0xff];
            out[o + 2] = UNIT[bgr[k] & 0xff];
        }
    }

    /** Byte values scaled to [0, 1]. */
    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < UNIT.length; i++) {
            UNIT[i] = i / 255f;
        }
    }

    /** A C-ordered float array filled in one native copy (Nd4j.create(float[]) puts element by element). */
    static INDArray array(float[] data, long[] shape) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        new FloatPointer(a.data().addressPointer()).put(data, 0, data.length);
        return a;
    }
}
