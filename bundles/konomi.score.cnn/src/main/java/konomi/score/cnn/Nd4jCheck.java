package konomi.score.cnn;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Component;

import konomi.api.KonomiException;
import konomi.api.SystemCheck;

/** {@code konomi:info}'s ND4J row: the backend in use, and one small matrix product computed right. */
@Component
public class Nd4jCheck implements SystemCheck {
    @Override
    public List<Item> check() {
        long t0 = System.nanoTime();
        // [[1,2],[3,4]] squared must be [[7,10],[15,22]]
        INDArray a = Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {2, 2});
        float[] r = a.mmul(a).data().asFloat();
        if (!Arrays.equals(r, new float[] {7, 10, 15, 22})) {
            throw new KonomiException("ND4J backend computed a wrong matrix product: " + Arrays.toString(r));
        }
        return List.of(
                new Item("nd4j backend", Nd4j.getBackend().getClass().getSimpleName() + ", " + Nd4j.dataType() + ", "
                        + Nd4j.getExecutioner().getClass().getSimpleName()),
                new Item("nd4j check", "2x2 matmul = " + Arrays.toString(r) + String.format(Locale.ROOT, " in %.0f ms", (System.nanoTime() - t0) / 1e6)));
    }
}
