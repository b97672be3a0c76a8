package konomi.shell;

import java.util.Arrays;

import org.apache.felix.service.command.Descriptor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import konomi.api.KonomiException;

/** {@code konomi:info}: where things are and whether the native pieces (ND4J, OpenCV) work here. */
@Component(service = KonomiCommands.class, property = {"osgi.command.scope=konomi", "osgi.command.function=info"})
public class KonomiCommands {
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("show Konomi's folders, bundles and native backends; runs one ND4J operation to check the backend")
    public void info() {
        Table t = new Table("item", "value");
        t.row("home", context.getProperty("konomi.home"));
        t.row("deploy", context.getProperty("konomi.deploy"));
        t.row("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        t.row("framework", context.getBundle(0).getSymbolicName() + " " + context.getBundle(0).getVersion());
        long active = Arrays.stream(context.getBundles()).filter(b -> b.getState() == Bundle.ACTIVE).count();
        t.row("bundles", active + " active of " + context.getBundles().length);
        long t0 = System.nanoTime();
        float[] r = nd4jCheck();
        t.row("nd4j backend", Nd4j.getBackend().getClass().getSimpleName() + ", " + Nd4j.dataType() + ", "
                + Nd4j.getExecutioner().getClass().getSimpleName());
        t.row("nd4j check", "2x2 matmul = " + Arrays.toString(r) + String.format(" in %.0f ms", (System.nanoTime() - t0) / 1e6));
        t.print(System.out);
    }

    /** [[1,2],[3,4]] squared: must be [[7,10],[15,22]]. */
    static float[] nd4jCheck() {
        INDArray a = Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {2, 2});
        float[] r = a.mmul(a).data().asFloat();
        if (!Arrays.equals(r, new float[] {7, 10, 15, 22})) {
            throw new KonomiException("ND4J backend computed a wrong matrix product: " + Arrays.toString(r));
        }
        return r;
    }
}
