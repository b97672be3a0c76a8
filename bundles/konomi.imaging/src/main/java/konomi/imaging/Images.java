package konomi.imaging;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import konomi.api.Box;
import konomi.api.Image;
import konomi.api.KonomiException;

/** Decoding and Mat conversions. Every Mat made here is closed by the caller (native memory). */
public final class Images {

    /** Images larger than this many pixels are refused before decoding rather than risking a huge native allocation. */
    public static final long MAX_PIXELS = 100_000_000L;
    /** Images wider or taller than this are refused before decoding. */
    public static final int MAX_SIDE = 16384;

    private Images() {
    }

    /**
     * Decodes jpg/png/bmp/webp bytes to a BGR image. The size in the header is checked first: an image above
     * {@link #MAX_PIXELS} or {@link #MAX_SIDE} is refused before the decoder allocates anything.
     *
     * @throws KonomiException naming the id when the bytes are not a readable image or the image is too large
     */
    public static Image decode(String id, byte[] encoded) {
        if (encoded.length == 0) {
            throw new KonomiException(id + ": empty file");
        }
        checkSize(id, ImageHeader.read(encoded));
        try (BytePointer data = new BytePointer(encoded);
             Mat buf = new Mat(1, encoded.length, CV_8UC1, data);
             Mat bgr = imdecode(buf, IMREAD_COLOR)) {
            if (bgr == null || bgr.empty()) {
                throw new KonomiException(id + ": not a readable image (corrupt or unsupported format)");
            }
            // a format the header reader does not know is checked after decoding at least
            checkSize(id, new ImageHeader("decoded", bgr.cols(), bgr.rows()));
            return fromMat(id, bgr);
        }
    }

    /** Refuses an image whose header announces more than {@link #MAX_PIXELS} or {@link #MAX_SIDE}. */
    static void checkSize(String id, ImageHeader h) {
        if (h != null && (h.pixels() > MAX_PIXELS || h.width() > MAX_SIDE || h.height() > MAX_SIDE)) {
            throw new KonomiException(String.format(java.util.Locale.ROOT,
                    "%s: image too large (%dx%d, %.0f megapixels; the limit is %d megapixels and %d pixels a side)", id,
                    h.width(), h.height(), h.pixels() / 1e6, MAX_PIXELS / 1_000_000, MAX_SIDE));
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

    /** The pixels inside the box (clipped to the image), copied. */
    public static Image crop(Image image, Box box) {
        int x1 = Math.max(0, box.x1()), y1 = Math.max(0, box.y1());
        int x2 = Math.min(image.width(), box.x2()), y2 = Math.min(image.height(), box.y2());
        if (x2 <= x1 || y2 <= y1) {
            throw new KonomiException(image.id() + ": crop " + box + " is outside the image");
        }
        int c = image.channels(), w = x2 - x1, h = y2 - y1;
        byte[] out = new byte[w * h * c];
        for (int y = 0; y < h; y++) {
            System.arraycopy(image.pixels(), ((y1 + y) * image.width() + x1) * c, out, y * w * c, w * c);
        }
        return new Image(image.id(), w, h, c, out);
    }

    /** A face box grown by {@code margin} of its size on every side, kept square and inside the image. */
    public static Box withMargin(Box box, double margin, int width, int height) {
        double side = Math.max(box.width(), box.height()) * (1 + 2 * margin);
        double cx = (box.x1() + box.x2()) / 2.0, cy = (box.y1() + box.y2()) / 2.0;
        int x1 = (int) Math.round(cx - side / 2), y1 = (int) Math.round(cy - side / 2);
        int s = (int) Math.round(side);
        return new Box(Math.max(0, x1), Math.max(0, y1), Math.min(width, x1 + s), Math.min(height, y1 + s));
    }

    /** Resized copy (area averaging when shrinking, bilinear when growing). */
    public static Image resize(Image image, int width, int height) {
        if (image.width() == width && image.height() == height) {
            return image;
        }
        boolean shrink = width < image.width() && height < image.height();
        try (Mat src = toMat(image); Mat dst = new Mat(); Size size = new Size(width, height)) {
            opencv_imgproc.resize(src, dst, size, 0, 0, shrink ? opencv_imgproc.INTER_AREA : opencv_imgproc.INTER_LINEAR);
            return fromMat(image.id(), dst);
        }
    }

    /** Encodes as JPEG (quality 0-100), e.g. for report thumbnails. */
    public static byte[] jpeg(Image image, int quality) {
        try (Mat m = toMat(image); BytePointer buf = new BytePointer(); IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
            if (!imencode(".jpg", m, buf, params)) {
                throw new KonomiException(image.id() + ": cannot encode JPEG");
            }
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    /** File name endings of the pictures Konomi reads (lower case, with the dot). */
    public static final java.util.List<String> IMAGE_EXTENSIONS = java.util.List.of(".jpg", ".jpeg", ".png", ".bmp", ".webp");

    /** Whether a file's name says it is a picture Konomi reads. */
    public static boolean isImageFile(java.nio.file.Path file) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return IMAGE_EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /** Images side by side, {@code columns} a row, with a 2-pixel grey gap. */
    public static Image grid(java.util.List<Image> images, int columns) {
        int w = images.get(0).width(), h = images.get(0).height(), gap = 2;
        int rows = (images.size() + columns - 1) / columns;
        int gw = columns * (w + gap) + gap, gh = rows * (h + gap) + gap;
        byte[] px = new byte[gw * gh * 3];
        java.util.Arrays.fill(px, (byte) 128);
        for (int i = 0; i < images.size(); i++) {
            Image im = images.get(i);
            int x0 = gap + (i % columns) * (w + gap), y0 = gap + (i / columns) * (h + gap);
            for (int y = 0; y < h; y++) {
                System.arraycopy(im.pixels(), y * w * 3, px, ((y0 + y) * gw + x0) * 3, w * 3);
            }
        }
        return new Image("grid", gw, gh, 3, px);
    }

    /** The image on a grey (128) canvas {@code margin} pixels larger on every side. */
    public static Image pad(Image image, int margin) {
        int w = image.width() + 2 * margin, h = image.height() + 2 * margin, c = image.channels();
        byte[] px = new byte[w * h * c];
        java.util.Arrays.fill(px, (byte) 128);
        for (int y = 0; y < image.height(); y++) {
            System.arraycopy(image.pixels(), y * image.width() * c, px, ((y + margin) * w + margin) * c, image.width() * c);
        }
        return new Image(image.id(), w, h, c, px);
    }

    /** Encodes as PNG (lossless), e.g. for generated samples. */
    public static byte[] png(Image image) {
        try (Mat m = toMat(image); BytePointer buf = new BytePointer()) {
            if (!imencode(".png", m, buf)) {
                throw new KonomiException(image.id() + ": cannot encode PNG");
            }
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    /** A Mat holding a copy of the image's pixels; close it after use. */
    public static Mat toMat(Image image) {
        Mat mat = new Mat(image.height(), image.width(), image.channels() == 3 ? CV_8UC3 : CV_8UC1);
        mat.data().put(image.pixels());
        return mat;
    }
}
