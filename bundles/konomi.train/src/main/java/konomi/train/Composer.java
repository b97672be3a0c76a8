package konomi.train;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.global.opencv_photo;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import konomi.api.Box;
import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.train.CompositeOptions;
import konomi.imaging.Images;
import konomi.train.CompositeData.FaceSet;
import konomi.train.CompositeData.Illustration;

/**
 * Renders composite picture {@code i}: a background (an illustration with its labelled faces painted over, or a
 * mosaic of non-face patches) with face crops pasted through feathered elliptical masks, each scaled, rotated,
 * maybe mirrored and colour-shifted, and labelled with the bounding box of its rotated tight face box (clipped to the
 * picture). Everything picture {@code i} draws comes from one generator seeded by (seed, i), so pictures do not
 * depend on each other or on threads. Stateless and thread-safe.
 */
final class Composer {
    /** A rendered picture (BGR) and its face boxes. */
    record Picture(Image image, List<Box> boxes) {
    }

    /** Face boxes may lie this far (a share of their width or height) outside the picture... */
    private static final double OUTSIDE = 0.35;
    /** ...but at least this share of a box's area must stay inside, or the face is placed elsewhere. */
    private static final double MIN_VISIBLE = 0.6;
    /** A later face may cover at most this share of an earlier face's box. */
    private static final double MAX_COVER = 0.2;
    private static final int TRIES = 30;
    private static final double MAX_ASPECT = 1.8;

    private final CompositeData data;
    private final CompositeOptions o;

    Composer(CompositeData data, CompositeOptions options) {
        this.data = data;
        this.o = options;
    }

    /** The generator of picture {@code index}: a mix of the seed and the index, so nearby seeds do not share pictures. */
    static SplittableRandom random(long seed, int index) {
        return new SplittableRandom(mix(mix(seed) + 0x9E3779B97F4A7C15L * (index + 1L)));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Picture {@code index}. With {@code paste} false the faces are drawn and placed all the same but not pasted:
     * the bare background with the boxes the faces would have (for tests).
     */
    Picture render(int index, boolean paste) {
        SplittableRandom rng = random(o.seed(), index);
        int longSide = o.minSide() + rng.nextInt(o.maxSide() - o.minSide() + 1);
        int shortSide = (int) Math.round(longSide / Math.exp(rng.nextDouble() * Math.log(MAX_ASPECT)));
        boolean landscape = rng.nextDouble() < 0.6;
        int w = landscape ? longSide : shortSide, h = landscape ? shortSide : longSide;
        String id = String.format("%05d", index);
        byte[] px = rng.nextDouble() < o.illustrations() ? illustration(rng, w, h) : mosaic(rng, w, h);

        int faces = rng.nextDouble() < o.negatives() ? 0 : 1 + rng.nextInt(o.maxFaces());
        List<Box> labels = new ArrayList<>();
        List<Box> footprints = new ArrayList<>();
        for (int f = 0; f < faces; f++) {
            face(rng, px, w, h, labels, footprints, paste);
        }
        return new Picture(new Image(id, w, h, 3, px), labels);
    }

    // ---- backgrounds

    /** A grid of non-face patches, 2 to 5 along the shorter side (so not blown up too far), each maybe mirrored. */
    private byte[] mosaic(SplittableRandom rng, int w, int h) {
        int k = 2 + rng.nextInt(4);
        int cell = (int) Math.ceil(Math.min(w, h) / (double) k);
        byte[] px = new byte[w * h * 3];
        for (int y0 = 0; y0 < h; y0 += cell) {
            for (int x0 = 0; x0 < w; x0 += cell) {
                Image tile = decode(data.tiles.get(rng.nextInt(data.tiles.size())));
                if (rng.nextBoolean()) {
                    tile = mirror(tile);
                }
                Image t = Images.resize(tile, cell, cell);
                int cw = Math.min(cell, w - x0);
                for (int y = 0; y < cell && y0 + y < h; y++) {
                    System.arraycopy(t.pixels(), y * cell * 3, px, ((y0 + y) * w + x0) * 3, cw * 3);
                }
            }
        }
        return px;
    }

    /** A crop of a training illustration (60-100% of the largest crop of the picture's aspect), faces painted over. */
    private byte[] illustration(SplittableRandom rng, int w, int h) {
        Illustration il = data.illustrations.get(rng.nextInt(data.illustrations.size()));
        Image img = paintOver(decode(il.file()), il.faces());
        double aspect = (double) w / h;
        double cw, ch;
        if ((double) img.width() / img.height() > aspect) {
            ch = img.height();
            cw = ch * aspect;
        } else {
            cw = img.width();
            ch = cw / aspect;
        }
        double f = 0.6 + 0.4 * rng.nextDouble();
        int iw = Math.max(1, Math.min(img.width(), (int) Math.round(cw * f)));
        int ih = Math.max(1, Math.min(img.height(), (int) Math.round(ch * f)));
        int x0 = rng.nextInt(img.width() - iw + 1), y0 = rng.nextInt(img.height() - ih + 1);
        Image bg = Images.resize(Images.crop(img, new Box(x0, y0, x0 + iw, y0 + ih)), w, h);
        if (rng.nextBoolean()) {
            bg = mirror(bg);
        }
        return bg.pixels().clone();
    }

    /**
     * Covers every labelled face so that no unlabelled real face remains: the picture is shrunk 8 times, the faces
     * (grown by a quarter of their size on every side) are inpainted there from their surroundings, and the smooth
     * result, enlarged again, replaces each grown box, blended in over its outer rim.
     */
    static Image paintOver(Image img, List<Box> faces) {
        if (faces.isEmpty()) {
            return img;
        }
        int w = img.width(), h = img.height();
        int sw = Math.max(2, w / 8), sh = Math.max(2, h / 8);
        Image fill;
        try (Mat src = Images.toMat(img); Mat small = new Mat(); Mat filled = new Mat(); Mat big = new Mat();
             Size smallSize = new Size(sw, sh); Size bigSize = new Size(w, h); Scalar zero = new Scalar(0.0);
             Scalar white = new Scalar(255.0); Mat mask = new Mat(sh, sw, CV_8UC1, zero)) {
            opencv_imgproc.resize(src, small, smallSize, 0, 0, opencv_imgproc.INTER_AREA);
            for (Box b : faces) {
                double gx = 0.25 * b.width(), gy = 0.25 * b.height();
                int x1 = (int) Math.floor((b.x1() - gx) * sw / w) - 1, y1 = (int) Math.floor((b.y1() - gy) * sh / h) - 1;
                int x2 = (int) Math.ceil((b.x2() + gx) * sw / w) + 1, y2 = (int) Math.ceil((b.y2() + gy) * sh / h) + 1;
                x1 = Math.max(0, x1);
                y1 = Math.max(0, y1);
                x2 = Math.min(sw, x2);
                y2 = Math.min(sh, y2);
                if (x2 > x1 && y2 > y1) {
                    try (Rect r = new Rect(x1, y1, x2 - x1, y2 - y1)) {
                        opencv_imgproc.rectangle(mask, r, white, -1, opencv_imgproc.LINE_8, 0);
                    }
                }
            }
            opencv_photo.inpaint(small, mask, filled, 3, opencv_photo.INPAINT_TELEA);
            opencv_imgproc.resize(filled, big, bigSize, 0, 0, opencv_imgproc.INTER_LINEAR);
            fill = Images.fromMat(img.id(), big);
        }
        float[] alpha = new float[w * h];
        for (Box b : faces) {
            // opaque up to 20% around the box, fading out to 35%
            double cx = (b.x1() + b.x2()) / 2.0, cy = (b.y1() + b.y2()) / 2.0;
            double hw = Math.max(1, b.width() / 2.0), hh = Math.max(1, b.height() / 2.0);
            int x1 = Math.max(0, (int) Math.floor(cx - hw * 1.7)), x2 = Math.min(w, (int) Math.ceil(cx + hw * 1.7));
            int y1 = Math.max(0, (int) Math.floor(cy - hh * 1.7)), y2 = Math.min(h, (int) Math.ceil(cy + hh * 1.7));
            for (int y = y1; y < y2; y++) {
                double dy = Math.abs(y + 0.5 - cy) / hh;
                for (int x = x1; x < x2; x++) {
                    double d = Math.max(dy, Math.abs(x + 0.5 - cx) / hw);
                    float a = (float) Math.min(1, Math.max(0, (1.7 - d) / 0.3));
                    if (a > alpha[y * w + x]) {
                        alpha[y * w + x] = a;
                    }
                }
            }
        }
        byte[] out = img.pixels().clone(), f = fill.pixels();
        for (int i = 0; i < alpha.length; i++) {
            float a = alpha[i];
            if (a > 0) {
                for (int c = 0; c < 3; c++) {
                    int j = i * 3 + c;
                    out[j] = (byte) Math.round((out[j] & 0xff) * (1 - a) + (f[j] & 0xff) * a);
                }
            }
        }
        return new Image(img.id(), w, h, 3, out);
    }

    // ---- faces

    private FaceSet pickSet(SplittableRandom rng) {
        double r = rng.nextDouble(), sum = 0;
        for (FaceSet s : FaceSet.values()) {
            sum += s.weight;
            if (r < sum) {
                return s;
            }
        }
        return FaceSet.HOLOEN20;
    }

    /** Draws one face and its transform, finds a place for it, pastes it and adds its box (or gives up quietly). */
    private void face(SplittableRandom rng, byte[] px, int w, int h, List<Box> labels, List<Box> footprints, boolean paste) {
        FaceSet set = pickSet(rng);
        List<Path> files = data.crops.get(set.ordinal());
        Image crop = decode(files.get(rng.nextInt(files.size())));
        int cw = crop.width(), ch = crop.height();
        double tx1 = set.fx1 * cw, ty1 = set.fy1 * ch, tx2 = set.fx2 * cw, ty2 = set.fy2 * ch;
        double side = Math.sqrt((tx2 - tx1) * (ty2 - ty1));
        double minS = o.minFace(), maxS = Math.max(minS, Math.min(o.maxFace() * Math.min(w, h), side * set.maxUpscale));
        double s = Math.exp(Math.log(minS) + rng.nextDouble() * (Math.log(maxS) - Math.log(minS)));
        double scale = s / side;
        double angle = Math.toRadians((rng.nextDouble() * 2 - 1) * o.maxRotation());
        double flip = rng.nextBoolean() ? -1 : 1;
        // colour: hue shift (half of the time), saturation, contrast, brightness
        int hue = rng.nextBoolean() ? rng.nextInt(-8, 9) : 0;
        double saturation = 0.7 + 0.6 * rng.nextDouble(), contrast = 0.8 + 0.4 * rng.nextDouble();
        double brightness = -20 + 40 * rng.nextDouble();
        // mask: an ellipse 1.2-1.45 times the tight box, opaque out to the middles of the box's sides
        double ellipse = 1.2 + 0.25 * rng.nextDouble(), feather = (0.6 + 0.4 * rng.nextDouble()) * (1 - 1 / ellipse);
        // a quarter of the faces slightly blurred, so that sharpness alone does not tell a pasted face
        double blur = rng.nextDouble() < 0.25 ? 0.5 + rng.nextDouble() : 0;

        // crop point p -> A (p - c) + centre, c = the tight box's centre; A = scale * rotation * mirror
        double a = scale * Math.cos(angle) * flip, b = -scale * Math.sin(angle);
        double c = scale * Math.sin(angle) * flip, d = scale * Math.cos(angle);
        double ccx = (tx1 + tx2) / 2, ccy = (ty1 + ty2) / 2;
        double[] label = bounds(a, b, c, d, ccx, ccy, new double[] {tx1, ty1, tx2, ty1, tx1, ty2, tx2, ty2});
        double[] foot = bounds(a, b, c, d, ccx, ccy, new double[] {0, 0, cw, 0, 0, ch, cw, ch});
        double lw = label[2] - label[0], lh = label[3] - label[1];
        int minVisibleSide = Math.max(8, o.minFace() / 2);
        for (int t = 0; t < TRIES; t++) {
            double cx = -label[0] - OUTSIDE * lw + rng.nextDouble() * (w - lw + 2 * OUTSIDE * lw);
            double cy = -label[1] - OUTSIDE * lh + rng.nextDouble() * (h - lh + 2 * OUTSIDE * lh);
            double x1 = cx + label[0], y1 = cy + label[1], x2 = cx + label[2], y2 = cy + label[3];
            int bx1 = clamp((int) Math.round(x1), w), by1 = clamp((int) Math.round(y1), h);
            int bx2 = clamp((int) Math.round(x2), w), by2 = clamp((int) Math.round(y2), h);
            if (bx2 - bx1 < minVisibleSide || by2 - by1 < minVisibleSide
                    || (double) (bx2 - bx1) * (by2 - by1) < MIN_VISIBLE * lw * lh) {
                continue;
            }
            Box fp = new Box(clamp((int) Math.floor(cx + foot[0]), w), clamp((int) Math.floor(cy + foot[1]), h),
                    clamp((int) Math.ceil(cx + foot[2]), w), clamp((int) Math.ceil(cy + foot[3]), h));
            if (covers(fp, labels)) {
                continue;
            }
            if (paste) {
                Image coloured = colour(crop, hue, saturation, contrast, brightness);
                byte[] mask = ellipseMask(cw, ch, (tx1 + tx2) / 2, (ty1 + ty2) / 2, ellipse * (tx2 - tx1) / 2,
                        ellipse * (ty2 - ty1) / 2, feather);
                paste(px, w, coloured, mask, fp, a, b, c, d, cx - (a * ccx + b * ccy), cy - (c * ccx + d * ccy), blur);
            }
            labels.add(new Box(bx1, by1, bx2, by2));
            footprints.add(fp);
            return;
        }
    }

    private static boolean covers(Box footprint, List<Box> labels) {
        for (Box e : labels) {
            long iw = Math.max(0, Math.min(e.x2(), footprint.x2()) - Math.max(e.x1(), footprint.x1()));
            long ih = Math.max(0, Math.min(e.y2(), footprint.y2()) - Math.max(e.y1(), footprint.y1()));
            if (iw * ih > MAX_COVER * e.area()) {
                return true;
            }
        }
        return false;
    }

    /** The bounds (x1, y1, x2, y2) of the corners {@code xy} mapped by A (p - c), relative to the centre. */
    private static double[] bounds(double a, double b, double c, double d, double ccx, double ccy, double[] xy) {
        double[] r = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < xy.length; i += 2) {
            double x = a * (xy[i] - ccx) + b * (xy[i + 1] - ccy), y = c * (xy[i] - ccx) + d * (xy[i + 1] - ccy);
            r[0] = Math.min(r[0], x);
            r[1] = Math.min(r[1], y);
            r[2] = Math.max(r[2], x);
            r[3] = Math.max(r[3], y);
        }
        return r;
    }

    /**
     * Warps the crop and its mask into the footprint (crop point p lands on (a b; c d) p + (e, f) in the picture)
     * and blends them in; {@code blur} &gt; 0 blurs the warped face with that sigma (pixels) first.
     */
    private static void paste(byte[] px, int w, Image crop, byte[] mask, Box fp, double a, double b, double c, double d,
            double e, double f, double blur) {
        int rw = fp.width(), rh = fp.height();
        if (rw <= 0 || rh <= 0) {
            return;
        }
        byte[] face, alpha;
        try (Mat src = Images.toMat(crop); Mat m = new Mat(crop.height(), crop.width(), CV_8UC1);
             Mat affine = new Mat(2, 3, CV_64F); Mat warped = new Mat(); Mat warpedMask = new Mat();
             Size size = new Size(rw, rh); Scalar zero = new Scalar(0.0)) {
            m.data().put(mask);
            try (DoubleIndexer ix = affine.createIndexer()) {
                ix.put(0, 0, a).put(0, 1, b).put(0, 2, e - fp.x1());
                ix.put(1, 0, c).put(1, 1, d).put(1, 2, f - fp.y1());
            }
            opencv_imgproc.warpAffine(src, warped, affine, size, opencv_imgproc.INTER_LINEAR, BORDER_REPLICATE, zero);
            opencv_imgproc.warpAffine(m, warpedMask, affine, size, opencv_imgproc.INTER_LINEAR, BORDER_CONSTANT, zero);
            if (blur > 0) {
                try (Size auto = new Size(0, 0)) {
                    opencv_imgproc.GaussianBlur(warped, warped, auto, blur, blur, BORDER_REPLICATE);
                }
            }
            face = Images.fromMat("face", warped).pixels();
            alpha = Images.fromMat("mask", warpedMask).pixels();
        }
        for (int y = 0; y < rh; y++) {
            for (int x = 0; x < rw; x++) {
                int al = alpha[y * rw + x] & 0xff;
                if (al == 0) {
                    continue;
                }
                int o = ((fp.y1() + y) * w + fp.x1() + x) * 3, s = (y * rw + x) * 3;
                for (int k = 0; k < 3; k++) {
                    px[o + k] = (byte) (((px[o + k] & 0xff) * (255 - al) + (face[s + k] & 0xff) * al + 127) / 255);
                }
            }
        }
    }

    /**
     * An elliptical mask around the tight face box (centre {@code cx, cy}, semi-axes {@code rx, ry}, cut down to the
     * largest ellipse about that centre that fits the crop): opaque inside, fading to nothing over its outer
     * {@code feather} (a share of the radius), so neither the crop's rectangle nor most of its own background shows.
     */
    static byte[] ellipseMask(int w, int h, double cx, double cy, double rx, double ry, double feather) {
        rx = Math.min(rx, Math.min(cx, w - cx));
        ry = Math.min(ry, Math.min(cy, h - cy));
        byte[] m = new byte[w * h];
        for (int y = 0; y < h; y++) {
            double dy = (y + 0.5 - cy) / ry;
            for (int x = 0; x < w; x++) {
                double dx = (x + 0.5 - cx) / rx;
                double r = Math.sqrt(dx * dx + dy * dy);
                m[y * w + x] = (byte) Math.round(255 * Math.min(1, Math.max(0, (1 - r) / feather)));
            }
        }
        return m;
    }

    /** Hue shift (OpenCV's 0-179 hue), saturation factor, then contrast about mid-grey and brightness. */
    private static Image colour(Image crop, int hue, double saturation, double contrast, double brightness) {
        byte[] hsv;
        try (Mat bgr = Images.toMat(crop); Mat m = new Mat()) {
            opencv_imgproc.cvtColor(bgr, m, opencv_imgproc.COLOR_BGR2HSV);
            hsv = Images.fromMat("hsv", m).pixels();
        }
        for (int i = 0; i < hsv.length; i += 3) {
            hsv[i] = (byte) Math.floorMod((hsv[i] & 0xff) + hue, 180);
            hsv[i + 1] = (byte) Math.min(255, (int) Math.round((hsv[i + 1] & 0xff) * saturation));
        }
        byte[] out;
        try (Mat m = Images.toMat(new Image("hsv", crop.width(), crop.height(), 3, hsv)); Mat bgr = new Mat()) {
            opencv_imgproc.cvtColor(m, bgr, opencv_imgproc.COLOR_HSV2BGR);
            out = Images.fromMat(crop.id(), bgr).pixels();
        }
        for (int i = 0; i < out.length; i++) {
            long v = Math.round(((out[i] & 0xff) - 128) * contrast + 128 + brightness);
            out[i] = (byte) Math.max(0, Math.min(255, v));
        }
        return new Image(crop.id(), crop.width(), crop.height(), 3, out);
    }

    private static Image mirror(Image img) {
        int w = img.width(), h = img.height(), c = img.channels();
        byte[] src = img.pixels(), out = new byte[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, (y * w + x) * c, out, (y * w + (w - 1 - x)) * c, c);
            }
        }
        return new Image(img.id(), w, h, c, out);
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    private static Image decode(Path file) {
        try {
            Image img = Images.decode(file.toString(), Files.readAllBytes(file));
            if (img.channels() != 3) {
                throw new KonomiException(file + ": expected a colour picture");
            }
            return img;
        } catch (IOException e) {
            throw new KonomiException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
