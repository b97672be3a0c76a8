package konomi.imaging;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import konomi.api.Image;
import konomi.api.KonomiException;

/** Decoding and Mat conversions. Every Mat made here is closed by the caller (native memory). */
public final class Images {

    /** Images larger than this many pixels are refused rather than risking a huge native allocation. */
    public static final long MAX_PIXELS = 100_000_000L;

    private Images() {
    }

    /**
     * Decodes jpg/png/bmp/webp bytes to a BGR image.
     *
     * @throws KonomiException naming the id when the bytes are not a readable image
     */
    public static Image decode(String id, byte[] encoded) {
        if (encoded.length == 0) {
            throw new KonomiException(id + ": empty file");
        }
        try (BytePointer data = new BytePointer(encoded);
             Mat buf = new Mat(1, encoded.length, CV_8UC1, data);
             Mat bgr = imdecode(buf, IMREAD_COLOR)) {
            if (bgr == null || bgr.empty()) {
                throw new KonomiException(id + ": not a readable image (corrupt or unsupported format)");
            }
            if ((long) bgr.cols() * bgr.rows() > MAX_PIXELS) {
                throw new KonomiException(id + ": image too large (" + bgr.cols() + "x" + bgr.rows() + ")");
            }
            return fromMat(id, bgr);
        }
    }

    /** Copies a continuous 8-bit 1- or 3-channel Mat into an Image. */
    public static Image fromMat(String id, Mat mat) {
        int channels = mat.channels();
        Mat src = mat.isContinuous() ? mat : mat.clone();
        try {
            byte[] pixels = new byte[mat.cols() * mat.rows() * channels];
            src.data().get(pixels);
            return new Image(id, mat.cols(), mat.rows(), channels, pixels);
        } finally {
            if (src != mat) {
                src.close();
            }
        }
    }

    /** A Mat holding a copy of the image's pixels; close it after use. */
    public static Mat toMat(Image image) {
        Mat mat = new Mat(image.height(), image.width(), image.channels() == 3 ? CV_8UC3 : CV_8UC1);
        mat.data().put(image.pixels());
        return mat;
    }
}
