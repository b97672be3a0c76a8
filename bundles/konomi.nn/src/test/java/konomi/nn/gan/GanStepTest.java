package konomi.nn.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The adversarial pieces on their own: shapes, the augmentation's gradient, spectral norm, the distances. */
class GanStepTest {
    @Test
    void generatorDrawsPicturesInRangeAndDiscriminatorGivesOneLogitEach() {
        MultiLayerNetwork g = GanNets.generator(16, 4, 2e-4, 0.5, 1), d = GanNets.discriminator(4, false, 2e-4, 0.5, 1);
        INDArray x = g.output(Nd4j.randn(DataType.FLOAT, 3, 16, 1, 1), false);
        assertEquals(java.util.List.of(3L, 3L, 64L, 64L), java.util.Arrays.stream(x.shape()).boxed().toList());
        assertTrue(x.maxNumber().doubleValue() <= 1 && x.minNumber().doubleValue() >= -1);
        assertEquals(3, d.output(x, false).length());
    }

    @Test
    void augmentationGradientMatchesFiniteDifferences() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 16, 16).castTo(DataType.FLOAT);
        INDArray w = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16); // loss = sum(w * aug(x))
        DiffAugment.Applied a = new DiffAugment(5).apply(x);
        INDArray grad = a.backward(w);
        Random r = new Random(1);
        for (int k = 0; k < 20; k++) {
            long[] at = {r.nextInt(2), r.nextInt(3), r.nextInt(16), r.nextInt(16)};
            double eps = 1e-2;
            double plus = lossAt(x, w, at, eps, 5), minus = lossAt(x, w, at, -eps, 5);
            double numeric = (plus - minus) / (2 * eps);
            assertEquals(numeric, grad.getDouble(at), 2e-2, "at " + java.util.Arrays.toString(at));
        }
    }

    private static double lossAt(INDArray x, INDArray w, long[] at, double eps, long seed) {
        INDArray xp = x.dup();
        xp.putScalar(at, xp.getDouble(at) + eps);
        return new DiffAugment(seed).apply(xp).output().mul(w).sumNumber().doubleValue();
    }

    @Test
    void spectralNormBringsEveryWeightToSigmaOne() {
        MultiLayerNetwork d = GanNets.discriminator(4, false, 2e-4, 0.5, 1);
        d.params().muli(50);
        SpectralNorm sn = new SpectralNorm(d, 1);
        double first = sn.apply();
        for (int i = 0; i < 30; i++) {
            sn.apply();
        }
        assertTrue(first > 2, "weights scaled up have sigma > 1: " + first);
        // measured afresh on the network's own weights: the division reached them
        SpectralNorm again = new SpectralNorm(d, 2);
        double sigma = 0;
        for (int i = 0; i < 30; i++) {
            sigma = again.apply();
        }
        assertEquals(1.0, sigma, 0.05);
    }

    @Test
    void distancesAreZeroForOneSetAndGrowWithAShift() {
        Nd4j.getRandom().setSeed(1);
        INDArray a = Nd4j.randn(DataType.DOUBLE, 2000, 8), b = Nd4j.randn(DataType.DOUBLE, 2000, 8);
        double same = FeatureStats.frechet(a, b), shifted = FeatureStats.frechet(a, b.add(1));
        assertTrue(same < 0.1, "two samples of one Gaussian: " + same);
        assertEquals(8.0, shifted, 0.5); // |mu1-mu2|² = 8, covariances equal
        double kSame = FeatureStats.kernel(a, b, 5, 500, 1), kShift = FeatureStats.kernel(a, b.add(1), 5, 500, 1);
        assertTrue(Math.abs(kSame) < 0.05 && kShift > 0.5, kSame + " " + kShift);
    }
}
