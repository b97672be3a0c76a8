package konomi.nn.gan;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import konomi.api.Image;
import konomi.imaging.Images;
import konomi.nn.Tensors;

/** Pictures to and from a generator's range: NCHW RGB floats in [-1, 1] against BGR {@link Image}s. */
public final class Samples {
    private Samples() {
    }

    /** Face crops as a batch in [-1, 1], each its centred square resized to {@code size}. */
    public static INDArray batch(List<Image> faces, int size) {
        int per = 3 * size * size;
        float[] data = new float[faces.size() * per];
        for (int i = 0; i < faces.size(); i++) {
            Image f = Images.resize(Tensors.squareCentre(faces.get(i)), size, size);
            Tensors.chw(f.pixels(), f.channels(), size, data, i * per);
        }
        for (int i = 0; i < data.length; i++) {
            data[i] = data[i] * 2 - 1;
        }
        return Nd4j.create(data, new long[] {faces.size(), 3, size, size}, 'c');
    }

    /** A batch in [-1, 1] as images (values outside are clipped). */
    public static List<Image> images(INDArray batch, String prefix) {
        float[] data = batch.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int n = (int) batch.size(0), h = (int) batch.size(2), w = (int) batch.size(3), plane = h * w;
        List<Image> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[plane * 3];
            int o = i * 3 * plane;
            for (int p = 0; p < plane; p++) {
                px[p * 3] = toByte(data[o + 2 * plane + p]);
                px[p * 3 + 1] = toByte(data[o + plane + p]);
                px[p * 3 + 2] = toByte(data[o + p]);
            }
            out.add(new Image(prefix + i, w, h, 3, px));
        }
        return out;
    }

    private static byte toByte(float v) {
        return (byte) Math.round(Math.max(0, Math.min(1, (v + 1) / 2)) * 255);
    }
}
