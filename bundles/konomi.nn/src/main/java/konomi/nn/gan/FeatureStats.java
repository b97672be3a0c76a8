package konomi.nn.gan;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Distances between two sets of feature vectors ({@code [n, d]}), as generator papers report them: the Fréchet
 * distance between Gaussians fitted to each (FID, Heusel et al. 2017) and the kernel distance (KID, Bińkowski et al.
 * 2018: unbiased MMD² with the cubic polynomial kernel, averaged over subsets). Which network gives the features
 * decides the scale, so figures compare only with the same feature network.
 */
public final class FeatureStats {
    private FeatureStats() {
    }

    /** Fréchet distance: |mu1-mu2|² + tr(C1 + C2 - 2 (C1 C2)^½), in double precision. */
    public static double frechet(INDArray a, INDArray b) {
        INDArray x = a.castTo(DataType.DOUBLE), y = b.castTo(DataType.DOUBLE);
        INDArray mx = x.mean(0), my = y.mean(0);
        INDArray cx = covariance(x, mx), cy = covariance(y, my);
        // tr sqrt(C1 C2) = sum of sqrt(eigenvalues of C1^½ C2 C1^½), a symmetric matrix LAPACK's syev handles
        INDArray s1 = sqrtm(cx);
        INDArray m = s1.mmul(cy).mmul(s1);
        m = m.add(m.transpose()).muli(0.5);
        INDArray ev = Eigen.symmetricGeneralizedEigenvalues(m.dup(), true);
        double trSqrt = Transforms.sqrt(Transforms.relu(ev), true).sumNumber().doubleValue();
        double diff = mx.sub(my).norm2Number().doubleValue();
        return diff * diff + trace(cx) + trace(cy) - 2 * trSqrt;
    }

    /**
     * Kernel distance: the unbiased MMD² with k(x, y) = (x·y/d + 1)³, averaged over {@code subsets} random subsets of
     * {@code subsetSize} from each side (the usual 100 x 1000 in the papers; fewer here keeps it fast).
     */
    public static double kernel(INDArray a, INDArray b, int subsets, int subsetSize, long seed) {
        INDArray x = a.castTo(DataType.DOUBLE), y = b.castTo(DataType.DOUBLE);
        int m = (int) Math.min(subsetSize, Math.min(x.size(0), y.size(0)));
        double d = x.size(1);
        java.util.Random r = new java.util.Random(seed);
        double total = 0;
        for (int s = 0; s < subsets; s++) {
            INDArray xs = x.get(NDArrayIndex.indices(pick(r, (int) x.size(0), m)), NDArrayIndex.all());
            INDArray ys = y.get(NDArrayIndex.indices(pick(r, (int) y.size(0), m)), NDArrayIndex.all());
            INDArray kxx = poly(xs, xs, d), kyy = poly(ys, ys, d), kxy = poly(xs, ys, d);
            double sxx = (kxx.sumNumber().doubleValue() - trace(kxx)) / (m * (m - 1.0));
            double syy = (kyy.sumNumber().doubleValue() - trace(kyy)) / (m * (m - 1.0));
            total += sxx + syy - 2 * kxy.meanNumber().doubleValue();
        }
        return total / subsets;
    }

    private static INDArray poly(INDArray a, INDArray b, double d) {
        return Transforms.pow(a.mmul(b.transpose()).divi(d).addi(1), 3, false);
    }

    private static long[] pick(java.util.Random r, int n, int m) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < m; i++) { // partial Fisher-Yates
            int j = i + r.nextInt(n - i), t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        long[] out = new long[m];
        for (int i = 0; i < m; i++) {
            out[i] = all[i];
        }
        return out;
    }

    private static INDArray covariance(INDArray x, INDArray mean) {
        INDArray c = x.subRowVector(mean);
        return c.transpose().mmul(c).divi(x.size(0) - 1);
    }

    /** Square root of a symmetric positive semi-definite matrix by its eigen-decomposition. */
    private static INDArray sqrtm(INDArray c) {
        INDArray v = c.dup();
        INDArray ev = Eigen.symmetricGeneralizedEigenvalues(v, true); // v now holds the eigenvectors as columns
        INDArray root = Transforms.sqrt(Transforms.relu(ev), true);
        return v.mulRowVector(root).mmul(v.transpose());
    }

    private static double trace(INDArray m) {
        double t = 0;
        for (int i = 0; i < m.rows(); i++) {
            t += m.getDouble(i, i);
        }
        return t;
    }
}
