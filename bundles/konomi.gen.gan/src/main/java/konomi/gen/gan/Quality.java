package konomi.gen.gan;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.imaging.Images;
import konomi.imaging.PerceptualHash;
import konomi.nn.NativeMemory;
import konomi.nn.Nets;
import konomi.nn.Tensors;
import konomi.nn.gan.FaceSet;
import konomi.nn.gan.FeatureStats;
import konomi.nn.gan.Samples;

/**
 * The quality figures of a generator against its training faces: FID and KID on the penultimate layer (global average
 * pooling) of a network Konomi trained (the character scorer by default), faceness by the {@code animeface} cascade at
 * twice the size, diversity as mean pairwise feature distance relative to real faces, and near-copies by perceptual hash.
 */
final class Quality {
    /** The figures; NaN for what could not be measured (no feature network, no cascade). */
    record Figures(double fid, double kid, double faceness, double framed, double diversity, double copies) {
        /** The measured figures by name (what GenEpoch carries); NaN ones are left out. */
        java.util.Map<String, Double> asMap() {
            java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
            double[] v = {fid, kid, faceness, framed, diversity, copies};
            String[] k = {"fid", "kid", "faceness", "framed", "diversity", "copies"};
            for (int i = 0; i < v.length; i++) {
                if (Double.isFinite(v[i])) {
                    m.put(k[i], v[i]);
                }
            }
            return m;
        }
    }

    private final Model features; // may be null
    private final int featureSize;
    private final FaceDetector cascade; // may be null
    private final INDArray realFeatures; // may be null
    private final double realSpread;
    private final long[] trainHashes;
    private final double realFaceness, realFramed;

    Quality(Model features, int featureSize, FaceDetector cascade, FaceSet faces, int count, long seed) {
        this.features = features;
        this.featureSize = featureSize;
        this.cascade = cascade;
        List<Image> real = new ArrayList<>();
        int[] pick = new Random(seed).ints(0, faces.count()).distinct().limit(Math.min(count, faces.count())).toArray();
        for (int i : pick) {
            real.add(faces.image(i));
        }
        this.realFeatures = features == null ? null : embed(real);
        this.realSpread = realFeatures == null ? Double.NaN : spread(realFeatures, seed);
        this.realFaceness = faceness(real, 0);
        this.realFramed = faceness(real, MARGIN);
        this.trainHashes = new long[faces.count()];
        for (int i = 0; i < faces.count(); i++) {
            trainHashes[i] = PerceptualHash.of(faces.image(i));
        }
    }

    /** Faceness of real training faces (the same number of them as samples measured): the figure samples aim at. */
    double realFaceness() {
        return realFaceness;
    }

    /** The same with a margin. */
    double realFramed() {
        return realFramed;
    }

    /**
     * A grey margin of a quarter of the doubled picture: the cascade only tries windows that lie wholly inside the
     * picture, so a face that fills its frame is often missed alone (measured on 600 real faces each: patches 0.93
     * alone, 0.99 with it; holoen20 crops 0.25 and 0.68; non-face patches 0 both ways).
     */
    static final int MARGIN = 32;

    private double faceness(List<Image> images, int margin) {
        if (cascade == null) {
            return Double.NaN;
        }
        int found = 0;
        for (Image im : images) {
            Image big = Images.resize(im, im.width() * 2, im.height() * 2);
            if (!cascade.detect(margin > 0 ? Images.pad(big, margin) : big).isEmpty()) {
                found++;
            }
        }
        return found / (double) images.size();
    }

    Figures measure(List<Image> samples, long seed) {
        double fid = Double.NaN, kid = Double.NaN, diversity = Double.NaN;
        if (features != null) {
            INDArray f = embed(samples);
            fid = FeatureStats.frechet(f, realFeatures);
            kid = FeatureStats.kernel(f, realFeatures, 10, Math.min(1000, (int) Math.min(f.size(0), realFeatures.size(0))), seed);
            diversity = spread(f, seed) / realSpread;
        }
        int copies = 0;
        for (Image s : samples) {
            long h = PerceptualHash.of(s);
            for (long t : trainHashes) {
                if (PerceptualHash.distance(h, t) <= PerceptualHash.DEFAULT_DISTANCE) {
                    copies++;
                    break;
                }
            }
        }
        return new Figures(fid, kid, faceness(samples, 0), faceness(samples, MARGIN), diversity, copies / (double) samples.size());
    }

    /** Penultimate-layer features, fed exactly as the scorer feeds face crops. */
    private INDArray embed(List<Image> images) {
        List<INDArray> parts = new ArrayList<>();
        for (int from = 0; from < images.size(); from += 128) {
            INDArray x = Nets.input(features, Tensors.batch(images.subList(from, Math.min(images.size(), from + 128)), featureSize));
            parts.add(Nets.features(features, x).castTo(DataType.DOUBLE).dup());
            NativeMemory.close(x);
        }
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /** Mean Euclidean distance between 2,000 random pairs. */
    private static double spread(INDArray f, long seed) {
        Random r = new Random(seed);
        int n = (int) f.size(0);
        double sum = 0;
        int pairs = 2000;
        for (int k = 0; k < pairs; k++) {
            int a = r.nextInt(n), b = r.nextInt(n - 1);
            if (b >= a) {
                b++;
            }
            sum += f.getRow(a).distance2(f.getRow(b));
        }
        return sum / pairs;
    }
}
