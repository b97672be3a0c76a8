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
        double[] s = new double[samples.rows()], r = new double[1000];
        int[] sampleNearest = nearest(samples, train, null, s);
        int[] realIdx = new java.util.Random(1).ints(0, n).distinct().limit(r.length).toArray();
        INDArray real = train.getRows(realIdx);
        nearest(real, train, realIdx, r);
        System.out.printf("PROBE nearest training face, RMS pixel distance (0-1): samples %s; real faces %s%n", stats(s), stats(r));
        System.out.printf(java.util.Locale.ROOT, "PROBE mean RMS pixel distance between two pictures: samples %.3f, real faces %.3f%n",
                meanPairwise(samples), meanPairwise(real));
        Integer[] order = new Integer[s.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(s[a], s[b]));
        List<Image> pairs = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            pairs.add(drawn.get(order[k]));
            pairs.add(faces.image(sampleNearest[order[k]]));
        }
        Files.write(Path.of("target/nearest.png"), Images.png(Images.grid(pairs, 8)));
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        Arrays.setAll(a, i -> i);
        return a;
    }

    /** Squared distances between every row of {@code a} and every row of {@code b}: |a|^2 + |b|^2 - 2ab, one matrix product. */
    private static INDArray squaredDistances(INDArray a, INDArray b) {
        return a.mmul(b.transpose()).muli(-2).addiColumnVector(a.mul(a).sum(1).reshape(-1, 1)).addiRowVector(b.mul(b).sum(1).reshape(1, -1));
    }

    /** RMS distance on 0-1 pixel values from a squared distance between two [-1, 1] pictures of {@code values} numbers. */
    private static double rms(double squared, long values) {
        return Math.sqrt(Math.max(0, squared) / values) / 2;
    }

    /**
     * Index of each row's nearest row of {@code train}, never row {@code self[i]} itself; its RMS distance goes to
     * {@code distance[i]}.
     */
    private static int[] nearest(INDArray q, INDArray train, int[] self, double[] distance) {
        INDArray d2 = squaredDistances(q, train);
        int[] best = new int[q.rows()];
        for (int i = 0; i < best.length; i++) {
            double[] row = d2.getRow(i).toDoubleVector();
            int b = -1;
            for (int j = 0; j < row.length; j++) {
                if ((self == null || j != self[i]) && (b < 0 || row[j] < row[b])) {
                    b = j;
                }
            }
            best[i] = b;
            distance[i] = rms(row[b], q.columns());
        }
        return best;
    }

    /** Mean RMS distance over all pairs of rows: how far apart two pictures of the set are. */
    private static double meanPairwise(INDArray q) {
        INDArray d2 = squaredDistances(q, q);
        double sum = 0;
        int rows = q.rows();
        for (int i = 0; i < rows; i++) {
            double[] row = d2.getRow(i).toDoubleVector();
            for (int j = i + 1; j < rows; j++) {
                sum += rms(row[j], q.columns());
            }
        }
        return sum / (rows * (rows - 1) / 2.0);
    }

    private static String stats(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format(java.util.Locale.ROOT, "min %.3f, 1%% %.3f, 5%% %.3f, median %.3f", s[0], s[s.length / 100], s[s.length / 20], s[s.length / 2]);
    }
}
