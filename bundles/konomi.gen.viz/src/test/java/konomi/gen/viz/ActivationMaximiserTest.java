package konomi.gen.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The jitter of activation maximisation: a roll of the picture, undone on its gradient. */
class ActivationMaximiserTest {
    @Test
    void rollIsUndoneByTheOppositeRoll() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 8, 8);
        INDArray r = ActivationMaximiser.roll(x, 3, -2);
        assertEquals(x.getDouble(0, 1, 0, 0), r.getDouble(0, 1, 3, 6), 0);
        assertEquals(x, ActivationMaximiser.roll(r, -3, 2));
    }
}
