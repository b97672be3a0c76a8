package konomi.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import konomi.api.Box;
import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.train.Augment;
import konomi.imaging.Images;
import konomi.nn.detect.DetectorMeta;
import konomi.nn.detect.Placement;

/**
 * Batches of pictures and YOLO labels. Augmentation places each picture at a random zoom (0.6-1.5 times the
 * letterbox, so faces are seen smaller and larger than they are, and cut by the input's edges) and offset, mirrors
 * it, and shifts its colours; without augmentation it is the letterbox detection uses. Labels, per picture
 * {@code [5, G, G]}: for a YOLOv2 head what DL4J's {@code Yolo2OutputLayer} reads (at the cell of each face centre
 * the corners in cells and the class, 1); for a centre head what {@link konomi.nn.detect.CentreLoss} reads (a
 * Gaussian heatmap peaking at exactly 1 in each face's centre cell, and there the centre's offset in the cell and
 * the log of the face's size in cells).
 */
final class DetectionBatches {
    /** A face cut by the input's edge is kept as a label when this share of it is still inside. */
    static final double MIN_VISIBLE = 0.4;
    private static final double MIN_ZOOM = 0.6, MAX_ZOOM = 1.5;

    private final List<Sample> samples;
    private final Map<Path, List<Box>> boxes;
    private final DetectorMeta meta;
    /**
     * Every picture shrunk once to what the largest zoom needs and kept as a JPEG (about 60 KB): decoding a
     * 1024 px original for every batch cost as much CPU as training the network on it.
     */
    private final Map<Path, Shrunk> cache = new java.util.concurrent.ConcurrentHashMap<>();

    /** A picture shrunk by {@code factor}, JPEG-encoded. */
    private record Shrunk(byte[] jpeg, double factor) {
    }

    DetectionBatches(List<Sample> samples, Map<Path, List<Box>> boxes, DetectorMeta meta) {
        this.samples = samples;
        this.boxes = boxes;
        this.meta = meta;
    }

    List<Sample> samples() {
        return samples;
    }

    static Image decode(Path file) {
        try {
            return Images.decode(file.toString(), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new KonomiException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    DataSet batch(int[] order, int from, int to, Augment augment, SplittableRandom rnd) {
        int n = to - from, s = meta.size(), g = meta.grid(), per = 3 * s * s;
        float[] x = new float[n * per];
        float[] y = new float[n * 5 * g * g];
        for (int i = 0; i < n; i++) {
            Sample sample = samples.get(order[from + i]);
            boolean augmented = augment != Augment.NONE && rnd != null;
            Image img;
            double factor = 1;
            if (augmented) {
                Shrunk sh = cache.computeIfAbsent(sample.file(), this::shrink);
                img = Images.decode(sample.id(), sh.jpeg());
                factor = sh.factor();
            } else {
                img = decode(sample.file()); // validation sees exactly what detection sees
            }
            Placement p = augmented ? place(img, augment, rnd) : Placement.letterbox(img.width(), img.height(), s);
            p.render(img, x, i * per);
            if (augment.jitter() && rnd != null) {
                Batches.jitter(x, i * per, s * s, 0.75f + 0.5f * (float) rnd.nextDouble(), 0.75f + 0.5f * (float) rnd.nextDouble(),
                        0.6f + 0.8f * (float) rnd.nextDouble());
            }
            label(scaled(boxes.getOrDefault(sample.file(), List.of()), factor), p, y, i);
        }
        INDArray features = Nd4j.create(x, new long[] {n, 3, s, s}, 'c');
        INDArray labels = Nd4j.create(y, new long[] {n, 5, g, g}, 'c');
        return new DataSet(features, labels);
    }

    private Shrunk shrink(Path file) {
        Image img = decode(file);
        double factor = Math.min(1, meta.size() * MAX_ZOOM / Math.max(img.width(), img.height()));
        Image small = factor < 1 ? Images.resize(img, Math.max(1, (int) Math.round(img.width() * factor)),
                Math.max(1, (int) Math.round(img.height() * factor))) : img;
        // the true factor per axis differs from the asked one by rounding; the larger side decides
        double actual = factor < 1 ? (double) Math.max(small.width(), small.height()) / Math.max(img.width(), img.height()) : 1;
        return new Shrunk(Images.jpeg(small, 95), actual);
    }

    private static List<Box> scaled(List<Box> boxes, double f) {
        if (f == 1) {
            return boxes;
        }
        return boxes.stream().map(b -> new Box((int) Math.round(b.x1() * f), (int) Math.round(b.y1() * f), (int) Math.round(b.x2() * f),
                (int) Math.round(b.y2() * f))).toList();
    }

    private Placement place(Image img, Augment augment, SplittableRandom rnd) {
        int s = meta.size();
        double base = (double) s / Math.max(img.width(), img.height());
        double zoom = augment.crop() ? Math.exp(Math.log(MIN_ZOOM) + rnd.nextDouble() * Math.log(MAX_ZOOM / MIN_ZOOM)) : 1;
        double scale = base * zoom;
        int rw = (int) Math.round(img.width() * scale), rh = (int) Math.round(img.height() * scale);
        int dx = augment.crop() ? offset(rw, s, rnd) : 0, dy = augment.crop() ? offset(rh, s, rnd) : 0;
        return new Placement(s, scale, dx, dy, augment.flip() && rnd.nextBoolean());
    }

    /** Where a side of {@code r} pixels starts in an input of {@code s}: anywhere it fits, or any cut when it is larger. */
    private static int offset(int r, int s, SplittableRandom rnd) {
        return r <= s ? rnd.nextInt(s - r + 1) : -rnd.nextInt(r - s + 1);
    }

    /** Writes the labels of one picture's visible faces at {@code example}'s place in {@code y}, as the head reads them. */
    private void label(List<Box> faces, Placement p, float[] y, int example) {
        int off = example * 5 * meta.grid() * meta.grid();
        for (Box b : faces) {
            double[] v = visible(b, p);
            if (v != null && meta.centred()) {
                centreTarget(v[0], v[1], v[2], v[3], y, off);
            } else if (v != null) {
                yoloTarget(v[0], v[1], v[2], v[3], y, off);
            }
        }
    }

    /** The part of a face inside the input, in input pixels, or null when too little of it is (a label only where it shows). */
    private double[] visible(Box b, Placement p) {
        int s = meta.size();
        double[] c = p.toInput(b);
        double area = (c[2] - c[0]) * (c[3] - c[1]);
        double x1 = Math.max(0, c[0]), y1 = Math.max(0, c[1]), x2 = Math.min(s, c[2]), y2 = Math.min(s, c[3]);
        return x2 - x1 < 2 || y2 - y1 < 2 || (x2 - x1) * (y2 - y1) < MIN_VISIBLE * area ? null : new double[] {x1, y1, x2, y2};
    }

    /** A YOLOv2 target: the corners in cells and the class at the cell of the face's centre. */
    private void yoloTarget(double x1, double y1, double x2, double y2, float[] y, int off) {
        int g = meta.grid(), plane = g * g;
        double stride = meta.stride();
        int cx = Math.min(g - 1, (int) ((x1 + x2) / 2 / stride)), cy = Math.min(g - 1, (int) ((y1 + y2) / 2 / stride));
        int cell = cy * g + cx;
        // one face per cell (YOLOv2): the larger one wins
        if (y[off + 4 * plane + cell] > 0
                && (y[off + 2 * plane + cell] - y[off + cell]) * (y[off + 3 * plane + cell] - y[off + plane + cell]) * stride * stride
                >= (x2 - x1) * (y2 - y1)) {
            return;
        }
        y[off + cell] = (float) (x1 / stride);
        y[off + plane + cell] = (float) (y1 / stride);
        y[off + 2 * plane + cell] = (float) (x2 / stride);
        y[off + 3 * plane + cell] = (float) (y2 / stride);
        y[off + 4 * plane + cell] = 1f;
    }

    /**
     * A centre head's target. The Gaussian's spread follows the face's size (a sixth of it, as CenterNet's radius
     * at IoU 0.7 gives for faces' near-square boxes), so cells near a large face's centre are hardly punished.
     */
    private void centreTarget(double x1, double y1, double x2, double y2, float[] y, int off) {
        int g = meta.grid(), plane = g * g;
        double stride = meta.stride();
        double w = (x2 - x1) / stride, h = (y2 - y1) / stride, fx = (x1 + x2) / 2 / stride, fy = (y1 + y2) / 2 / stride;
        int cx = Math.min(g - 1, (int) fx), cy = Math.min(g - 1, (int) fy);
        double sx = Math.max(0.35, w / 6), sy = Math.max(0.35, h / 6);
        int rx = (int) Math.ceil(3 * sx), ry = (int) Math.ceil(3 * sy);
        for (int gy = Math.max(0, cy - ry); gy <= Math.min(g - 1, cy + ry); gy++) {
            for (int gx = Math.max(0, cx - rx); gx <= Math.min(g - 1, cx + rx); gx++) {
                double dx = gx - cx, dy = gy - cy;
                float heat = (gx == cx && gy == cy) ? 1f : (float) Math.min(0.99, Math.exp(-dx * dx / (2 * sx * sx) - dy * dy / (2 * sy * sy)));
                int i = off + gy * g + gx;
                if (heat > y[i]) {
                    y[i] = heat;
                }
            }
        }
        int cell = cy * g + cx;
        // two faces in one cell: the larger one keeps its size
        if (y[off + 3 * plane + cell] != 0 && Math.exp(y[off + 3 * plane + cell] + y[off + 4 * plane + cell]) >= w * h) {
            return;
        }
        y[off + plane + cell] = (float) (fx - cx);
        y[off + 2 * plane + cell] = (float) (fy - cy);
        y[off + 3 * plane + cell] = (float) Math.log(w);
        y[off + 4 * plane + cell] = (float) Math.log(h);
    }
}
