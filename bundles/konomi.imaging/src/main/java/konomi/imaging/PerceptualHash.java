package konomi.imaging;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_img_hash.PHash;

import konomi.api.Image;
import konomi.api.KonomiException;

/**
 * A 64-bit perceptual hash of a picture (OpenCV img_hash's PHash: grey, 32x32, DCT, the 8x8 lowest frequencies
 * against their median), and the Hamming distance between two hashes. A resized or recompressed copy of a picture
 * hashes within a few bits of it; different pictures are about 32 bits apart. Thread-safe.
 */
public final class PerceptualHash {
    /** Bits a resized or recompressed copy may differ by (measured on 60 illustrations; see the catalog's README). */
    public static final int DEFAULT_DISTANCE = 10;

    private PerceptualHash() {
    }

    /** The hash of an image (BGR or grey), its 8 bytes big-endian in a long. */
    public static long of(Image image) {
        if (image.width() < 1 || image.height() < 1) {
            throw new KonomiException(image.id() + ": cannot hash an empty image");
        }
        try (Mat m = Images.toMat(image); Mat out = new Mat(); PHash hasher = PHash.create()) {
            hasher.compute(m, out);
            if (out.rows() != 1 || out.cols() != 8 || out.channels() != 1) {
                throw new KonomiException(image.id() + ": unexpected PHash output " + out.rows() + "x" + out.cols());
            }
            byte[] b = new byte[8];
            out.data().get(b);
            long h = 0;
            for (byte x : b) {
                h = (h << 8) | (x & 0xFF);
            }
            return h;
        }
    }

    /** The number of bits in which two hashes differ (0-64). */
    public static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }
}
