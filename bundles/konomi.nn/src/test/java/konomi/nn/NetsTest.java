package konomi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;

/** The face network in both layouts: each takes its input in its own layout, fine-tuned ones in their base's. */
class NetsTest {
    private static final ModelMeta META = new ModelMeta("classification", List.of("a", "b", "c"), 32, ModelMeta.RGB01, null);

    @Test
    void layoutIsReadFromTheNetwork() {
        assertFalse(Nets.channelsLast(Nets.faceNet(META, 1, new FixedSchedule(1e-3), 0)));
        assertTrue(Nets.channelsLast(Nets.faceNet(META, 1, new FixedSchedule(1e-3), 0, CNN2DFormat.NHWC)));
    }

    @Test
    void bothLayoutsComputeTheSameFunctionFromTheSameWeights() {
        MultiLayerNetwork nhwc = Nets.faceNet(META, 7, new FixedSchedule(1e-3), 0, CNN2DFormat.NHWC);
        MultiLayerNetwork nchw = Nets.faceNet(META, 7, new FixedSchedule(1e-3), 0, CNN2DFormat.NCHW);
        // conv weights are stored [out, in, kh, kw] in both layouts, so the same parameter vector is the same network
        nchw.setParams(nhwc.params().dup());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32);
        INDArray a = nhwc.output(Nets.input(nhwc, x), false);
        INDArray b = nchw.output(Nets.input(nchw, x), false);
        assertArrayEquals(b.ravel().toFloatVector(), a.ravel().toFloatVector(), 1e-4f);
        assertEquals(4, a.size(0));
    }

    @Test
    void fineTunedAndFrozenNetworksKeepTheirBaseLayout() {
        MultiLayerNetwork base = Nets.faceNet(META, 3, new FixedSchedule(1e-3), 0, CNN2DFormat.NHWC);
        ModelMeta regression = new ModelMeta("regression", List.of(), 32, ModelMeta.RGB01, new double[] {1, 5});
        assertTrue(Nets.channelsLast(Nets.fromBase(base, regression, 3, new FixedSchedule(1e-3), 0, true)));
        assertTrue(Nets.channelsLast(Nets.fromBase(base, regression, 3, new FixedSchedule(1e-3), 0, false)));
        MultiLayerNetwork old = Nets.faceNet(META, 3, new FixedSchedule(1e-3), 0, CNN2DFormat.NCHW);
        MultiLayerNetwork tuned = Nets.fromBase(old, regression, 3, new FixedSchedule(1e-3), 0, true);
        assertFalse(Nets.channelsLast(tuned));
        assertEquals(1, tuned.output(Nets.input(tuned, Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32)), false).size(1));
    }

    @Test
    void aRegressorThroughLabelsIsTheFrozenClassifierThenOneWeightPerLabel() {
        MultiLayerNetwork classifier = Nets.faceNet(META, 5, new FixedSchedule(1e-3), 0);
        ModelMeta regression = new ModelMeta("regression", List.of(), 32, ModelMeta.RGB01, new double[] {1, 5});
        MultiLayerNetwork net = Nets.viaLabels(classifier, regression, 5, new FixedSchedule(1e-2), 0);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 3, 32, 32);
        INDArray probs = classifier.output(x, false);
        for (int i = 0; i < 20; i++) {
            net.fit(new org.nd4j.linalg.dataset.DataSet(x, Nd4j.create(new float[] {1, 2, 3, 4, 5, 3}, new long[] {6, 1})));
        }
        // the classifier's part did not move: the output is still its probabilities times the learned weights
        INDArray w = net.getLayer(net.getnLayers() - 1).getParam("W"), b = net.getLayer(net.getnLayers() - 1).getParam("b");
        INDArray expected = probs.mmul(w).addRowVector(b);
        assertArrayEquals(expected.ravel().toFloatVector(), net.output(x, false).ravel().toFloatVector(), 1e-4f);
        assertEquals(3, w.length());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Nets.viaLabels(net, regression, 5, new FixedSchedule(1e-2), 0));
    }
}
