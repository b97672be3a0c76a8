package konomi.gen.gan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.ndarray.INDArray;

import konomi.api.Image;
import konomi.imaging.Images;
import konomi.nn.gan.FaceSet;
import konomi.nn.gan.Samples;

/**
 * Manual probe (-Dgan.nearest=model.zip, -Dgan.folders=a,b under ../shared/data): are samples near-copies of training
 * faces? For 1,000 samples, the pixel distance (RMS, 0-1 pixel values) to the nearest training face, against the same
 * for 1,000 training faces to their nearest other training face, and how far apart two pictures of each set are
 * (diversity in pixels); the 16 closest samples beside their nearest training faces go to target/nearest.png.
 */
class NearestProbe {
    @Test
    @EnabledIfSystemProperty(named = "gan.nearest", matches = ".+")
    void nearestTrainingFaces() throws Exception {
        Path d = Path.of("../../../shared/data");
        List<Path> folders = Arrays.stream(System.getProperty("gan.folders", "anime_face_patches64/face").split(",")).map(d::resolve).toList();
        FaceSet faces = FaceSet.load(folders, 64, 0, 1, m -> { });
        int n = faces.count();
        INDArray train = faces.batch(identity(n), 0, n).reshape(n, -1);
        konomi.api.gen.Generator g = new GanGeneratorFactory().create(new konomi.api.model.ModelDescriptor("generator", "gan", "probe",
                "1", "model.zip", "64x64x3", java.util.Map.of("latent", "128"), "probe", "probe"), Path.of(System.getProperty("gan.nearest")));
        List<Image> drawn = g.generate(1000, 1);
        INDArray samples = Samples.batch(drawn, 64).reshape(drawn.size(), -1);
        int[][] sampleNearest = nearest(samples, train, null);
        int[] realIdx = new java.util.Random(1).ints(0, n).distinct().limit(1000).toArray();
        INDArray real = train.getRows(realIdx);
        int[][] realNearest = nearest(real, train, realIdx);
        double[] s = rms(samples, train, sampleNearest[0]), r = rms(real, train, realNearest[0]);
        System.out.printf("PROBE nearest training face, RMS pixel distance (0-1): samples %s; real faces %s%n", stats(s), stats(r));
        System.out.printf(java.util.Locale.ROOT, "PROBE mean RMS pixel distance between two pictures: samples %.3f, real faces %.3f%n",
                meanPairwise(samples), meanPairwise(real));
        Integer[] order = new Integer[s.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(s[a], s[b]));
        List<Image> pairs = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            pairs.add(drawn.get(order[k]));
            pairs.add(faces.image(sampleNearest[0][order[k]]));
        }
        Files.write(Path.of("target/nearest.png"), Images.png(Images.grid(pairs, 8)));
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        Arrays.setAll(a, i -> i);
        return a;
    }

    /**
     * Index of each row's nearest row of {@code train} by squared distance (|a|^2 + |b|^2 - 2ab, one matrix product),
     * never row {@code self[i]} itself.
     */
    private static int[][] nearest(INDArray q, INDArray train, int[] self) {
        INDArray qn = q.mul(q).sum(1), tn = train.mul(train).sum(1);
        INDArray dist = q.mmul(train.transpose()).muli(-2).addiColumnVector(qn.reshape(-1, 1)).addiRowVector(tn.reshape(1, -1));
        int[] best = new int[q.rows()];
        for (int i = 0; i < q.rows(); i++) {
            double[] row = dist.getRow(i).toDoubleVector();
            int b = -1;
            for (int j = 0; j < row.length; j++) {
                if ((self == null || j != self[i]) && (b < 0 || row[j] < row[b])) {
                    b = j;
                }
            }
            best[i] = b;
        }
        return new int[][] {best};
    }

    /** Mean RMS distance (0-1 pixel values) over all pairs of rows: how far apart two pictures of the set are. */
    private static double meanPairwise(INDArray q) {
        INDArray n = q.mul(q).sum(1).reshape(-1, 1);
        INDArray d2 = q.mmul(q.transpose()).muli(-2).addiColumnVector(n).addiRowVector(n.reshape(1, -1));
        double sum = 0;
        int rows = q.rows();
        for (int i = 0; i < rows; i++) {
            double[] row = d2.getRow(i).toDoubleVector();
            for (int j = i + 1; j < rows; j++) {
                sum += Math.sqrt(Math.max(0, row[j]) / q.columns()) / 2;
            }
        }
        return sum / (rows * (rows - 1) / 2.0);
    }

    private static double[] rms(INDArray q, INDArray train, int[] idx) {
        double[] out = new double[q.rows()];
        for (int i = 0; i < out.length; i++) {
            // pixels are in [-1, 1]: halve the distance for 0-1 values
            out[i] = q.getRow(i).sub(train.getRow(idx[i])).norm2Number().doubleValue() / Math.sqrt(q.columns()) / 2;
        }
        return out;
    }

    private static String stats(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format(java.util.Locale.ROOT, "min %.3f, 1%% %.3f, 5%% %.3f, median %.3f", s[0], s[s.length / 100], s[s.length / 20], s[s.length / 2]);
    }
}
