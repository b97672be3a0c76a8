package konomi.nn.gan;

import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Differentiable augmentation (Zhao et al. 2020, "color,translation,cutout"): the same random changes are applied
 * to real and generated pictures before the discriminator sees them, so that a small data set does not let it
 * memorise the real ones. Each call draws one set of changes for a batch ({@link #apply}); {@link Applied#backward}
 * carries a gradient back through exactly those changes, which the generator's step needs.
 */
public final class DiffAugment {
    private final Random random;

    public DiffAugment(long seed) {
        random = new Random(seed);
    }

    /** Augments an NCHW batch (a new array); the returned record can send gradients back through it. */
    public Applied apply(INDArray x) {
        int n = (int) x.size(0), h = (int) x.size(2), w = (int) x.size(3);
        float[] bright = new float[n], sat = new float[n], con = new float[n];
        int[] dy = new int[n], dx = new int[n], cy = new int[n], cx = new int[n];
        int shift = h / 8, cut = h / 2;
        for (int i = 0; i < n; i++) {
            bright[i] = random.nextFloat() - 0.5f;
            sat[i] = random.nextFloat() * 2;
            con[i] = random.nextFloat() + 0.5f;
            dy[i] = random.nextInt(2 * shift + 1) - shift;
            dx[i] = random.nextInt(2 * shift + 1) - shift;
            cy[i] = random.nextInt(h + 1 - cut % 2); // the cutout's centre, which may sit on the border, as in the paper
            cx[i] = random.nextInt(w + 1 - cut % 2);
        }
        Applied a = new Applied(bright, sat, con, dy, dx, cy, cx, cut);
        INDArray y = x.dup();
        for (int i = 0; i < n; i++) {
            INDArray s = y.get(NDArrayIndex.point(i)); // [C,H,W] view
            s.addi(bright[i]);
            INDArray mean = s.mean(true, 0).broadcast(s.shape()); // per pixel, over the colours
            s.assign(s.sub(mean).muli(sat[i]).addi(mean));
            double m = s.meanNumber().doubleValue();
            s.subi(m).muli(con[i]).addi(m);
            s.assign(translate(s, dy[i], dx[i]));
            s.muli(a.mask(i, h, w));
        }
        a.output = y;
        return a;
    }

    /** A batch's augmentation: {@link #output} is what the discriminator sees. */
    public final class Applied {
        final float[] bright, sat, con;
        final int[] dy, dx, cy, cx;
        final int cut;
        INDArray output;

        Applied(float[] bright, float[] sat, float[] con, int[] dy, int[] dx, int[] cy, int[] cx, int cut) {
            this.bright = bright;
            this.sat = sat;
            this.con = con;
            this.dy = dy;
            this.dx = dx;
            this.cy = cy;
            this.cx = cx;
            this.cut = cut;
        }

        public INDArray output() {
            return output;
        }

        INDArray mask(int i, int h, int w) {
            INDArray m = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, h, w);
            int y0 = Math.max(0, cy[i] - cut / 2), y1 = Math.min(h, cy[i] + cut / 2), x0 = Math.max(0, cx[i] - cut / 2), x1 = Math.min(w, cx[i] + cut / 2);
            if (y1 > y0 && x1 > x0) {
                m.get(NDArrayIndex.all(), NDArrayIndex.interval(y0, y1), NDArrayIndex.interval(x0, x1)).assign(0);
            }
            return m;
        }

        /** The gradient with respect to the input, from the gradient with respect to {@link #output}. */
        public INDArray backward(INDArray grad) {
            int n = (int) grad.size(0), h = (int) grad.size(2), w = (int) grad.size(3);
            INDArray g = grad.dup();
            for (int i = 0; i < n; i++) {
                INDArray s = g.get(NDArrayIndex.point(i));
                s.muli(mask(i, h, w));
                s.assign(translate(s, -dy[i], -dx[i]));
                // y = c*(x - mean) + mean  =>  dx = c*g + (1-c)*mean(g), mean over what the forward averaged
                double gm = s.meanNumber().doubleValue();
                s.muli(con[i]).addi((1 - con[i]) * gm);
                INDArray cm = s.mean(true, 0);
                s.assign(s.mul(sat[i]).addi(cm.broadcast(s.shape()).muli(1 - sat[i])));
                // brightness adds a constant: its gradient passes unchanged
            }
            return g;
        }
    }

    /** A [C,H,W] array moved by (dy, dx), zero where it moved in from outside. */
    static INDArray translate(INDArray s, int dy, int dx) {
        int h = (int) s.size(1), w = (int) s.size(2);
        INDArray out = Nd4j.zeros(s.dataType(), s.shape());
        int ys = Math.max(0, -dy), ye = Math.min(h, h - dy), xs = Math.max(0, -dx), xe = Math.min(w, w - dx);
        if (ye > ys && xe > xs) {
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(ys + dy, ye + dy), NDArrayIndex.interval(xs + dx, xe + dx))
                    .assign(s.get(NDArrayIndex.all(), NDArrayIndex.interval(ys, ye), NDArrayIndex.interval(xs, xe)));
        }
        return out;
    }
}
