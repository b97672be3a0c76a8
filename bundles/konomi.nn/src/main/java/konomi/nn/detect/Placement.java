package konomi.nn.detect;

import konomi.api.Box;
import konomi.api.Image;
import konomi.imaging.Images;

/**
 * Where a picture lands in the detector's square input: resized by {@code scale}, its top-left corner at
 * ({@code dx}, {@code dy}) (negative: cut off), the rest filled with mid grey, then mirrored when {@code flip}.
 * Inference uses the {@link #letterbox} (whole picture, aspect kept, top-left); training draws random ones.
 * The same object maps boxes both ways, so boxes come back in original pixels.
 */
public record Placement(int size, double scale, int dx, int dy, boolean flip) {
    /** The grey of the margins, in [0, 1]. */
    public static final float FILL = 0.5f;

    /** The whole picture, aspect kept, its longer side filling the input. */
    public static Placement letterbox(int width, int height, int size) {
        return new Placement(size, (double) size / Math.max(width, height), 0, 0, false);
    }

    /** A box of the picture in input pixels (not clipped), as x1, y1, x2, y2. */
    public double[] toInput(Box b) {
        double x1 = b.x1() * scale + dx, x2 = b.x2() * scale + dx;
        double y1 = b.y1() * scale + dy, y2 = b.y2() * scale + dy;
        return flip ? new double[] {size - x2, y1, size - x1, y2} : new double[] {x1, y1, x2, y2};
    }

    /** A box in input pixels back in the picture's pixels, clipped to the picture; null when nothing is left. */
    public Box toImage(double x1, double y1, double x2, double y2, int width, int height) {
        if (flip) {
            double t = size - x2;
            x2 = size - x1;
            x1 = t;
        }
        int ix1 = (int) Math.round(Math.max(0, (x1 - dx) / scale)), iy1 = (int) Math.round(Math.max(0, (y1 - dy) / scale));
        int ix2 = (int) Math.round(Math.min(width, (x2 - dx) / scale)), iy2 = (int) Math.round(Math.min(height, (y2 - dy) / scale));
        return ix2 > ix1 && iy2 > iy1 ? new Box(ix1, iy1, ix2, iy2) : null;
    }

    /**
     * Draws the picture into {@code out} at {@code offset} as CHW RGB in [0, 1] ({@code 3 * size * size} floats).
     * Resizing is OpenCV's (area averaging when shrinking), the same for training and detection.
     */
    public void render(Image image, float[] out, int offset) {
        int rw = Math.max(1, (int) Math.round(image.width() * scale)), rh = Math.max(1, (int) Math.round(image.height() * scale));
        Image r = Images.resize(image, rw, rh);
        int plane = size * size;
        java.util.Arrays.fill(out, offset, offset + 3 * plane, FILL);
        byte[] px = r.pixels();
        int ch = r.channels();
        int x0 = Math.max(0, dx), x1 = Math.min(size, dx + rw), y0 = Math.max(0, dy), y1 = Math.min(size, dy + rh);
        for (int y = y0; y < y1; y++) {
            int src = ((y - dy) * rw + (x0 - dx)) * ch;
            for (int x = x0; x < x1; x++, src += ch) {
                int ox = flip ? size - 1 - x : x;
                int o = offset + y * size + ox;
                if (ch == 3) {
                    out[o] = (px[src + 2] & 0xff) / 255f;
                    out[o + plane] = (px[src + 1] & 0xff) / 255f;
                    out[o + 2 * plane] = (px[src] & 0xff) / 255f;
                } else {
                    float v = (px[src] & 0xff) / 255f;
                    out[o] = v;
                    out[o + plane] = v;
                    out[o + 2 * plane] = v;
                }
            }
        }
    }
}
