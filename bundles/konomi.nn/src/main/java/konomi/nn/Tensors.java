package konomi.nn;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import konomi.api.Image;
import konomi.imaging.Images;

/**
 * Images to network input: NCHW float, RGB order, scaled to [0, 1] ({@link ModelMeta#RGB01}). Trainer and
 * scorers both go through here, so what a model was trained on is what it is fed.
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

    /** A batch of face crops, each resized to {@code size x size}. */
    public static INDArray batch(List<Image> images, int size) {
        int per = 3 * size * size;
        float[] data = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            Image img = Images.resize(images.get(i), size, size);
            chw(img.pixels(), img.channels(), size, data, i * per);
        }
        return Nd4j.create(data, new long[] {images.size(), 3, size, size}, 'c');
    }
}
