package konomi.bench;

import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Component;

/**
 * {@code bench:nets}: training and inference throughput of the seed networks, printed as the same JSON lines
 * as ../shared/bench/torch_ref.py, so both can be compared in one run on one machine. Same protocol: random
 * inputs in [0, 1), Adam 1e-3, 2 warm-up steps, then at least {@code --seconds} and 3 steps.
 */
@Component(service = BenchCommands.class, property = {"osgi.command.scope=bench", "osgi.command.function=nets"})
public class BenchCommands {

    @Descriptor("throughput of the NETS.md seed networks in DL4J (JSON lines like torch_ref.py)")
    public void nets(
            @Descriptor("seconds per net and mode") @Parameter(names = {"--seconds"}, absentValue = "8") double seconds,
            @Descriptor("nets, comma separated") @Parameter(names = {"--nets"}, absentValue = "seed002_binary,seed004_idol40,seed000_cnn9,seed000_alexnet") String nets,
            @Descriptor("modes: train, infer") @Parameter(names = {"--modes"}, absentValue = "train,infer") String modes) {
        for (String name : nets.split(",")) {
            for (String mode : modes.split(",")) {
                System.out.println(run(name.trim(), mode.trim(), seconds));
                System.out.flush();
            }
        }
    }

    static String run(String name, String mode, double seconds) {
        SeedNets.Net n = SeedNets.build(name);
        Nd4j.getRandom().setSeed(0);
        INDArray x = Nd4j.rand(DataType.FLOAT, n.batch(), n.c(), n.h(), n.w()); // NCHW as NETS.md specifies
        INDArray y = switch (n.loss()) {
            case "ce40" -> {
                INDArray oneHot = Nd4j.zeros(DataType.FLOAT, n.batch(), 40);
                for (int i = 0; i < n.batch(); i++) {
                    oneHot.putScalar(i, Nd4j.getRandom().nextInt(40), 1f);
                }
                yield oneHot;
            }
            case "bce" -> Nd4j.rand(DataType.FLOAT, n.batch(), 1).gt(0.5).castTo(DataType.FLOAT);
            default -> Nd4j.rand(DataType.FLOAT, n.batch(), 1).muli(4).addi(1);
        };
        boolean train = mode.equals("train");
        if (!train && !mode.equals("infer")) {
            throw new IllegalArgumentException("mode must be train or infer, not " + mode);
        }
        boolean nhwc = SeedNets.FORMAT == org.deeplearning4j.nn.conf.CNN2DFormat.NHWC;
        // the NCHW input is turned channels-last inside every timed step, so the layout change is paid for
        java.util.function.Supplier<INDArray> input = () -> nhwc ? x.permute(0, 2, 3, 1).dup('c') : x;
        Runnable step = train ? () -> n.net().fit(new DataSet(input.get(), y)) : () -> n.net().output(input.get(), false);
        step.run();
        step.run();
        long t0 = System.nanoTime();
        int steps = 0;
        double el;
        while (true) {
            step.run();
            steps++;
            el = (System.nanoTime() - t0) / 1e9;
            if (el >= seconds && steps >= 3) {
                break;
            }
        }
        return String.format(Locale.ROOT, "{\"engine\": \"dl4j-1.0.0-M2.1\", \"net\": \"%s\", \"mode\": \"%s\", \"batch\": %d, "
                + "\"images_per_s\": %.2f, \"ms_per_batch\": %.2f}", name, mode, n.batch(), steps * n.batch() / el, 1000 * el / steps);
    }
}
