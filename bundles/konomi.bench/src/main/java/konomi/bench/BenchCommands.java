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
            @Descriptor("nets, comma separated (konomi_face96, konomi_inverted96: the trainer's face and inverted residual networks)") @Parameter(names = {"--nets"}, absentValue = "seed002_binary,seed004_idol40,seed000_cnn9,seed000_alexnet") String nets,
            @Descriptor("modes: train, infer") @Parameter(names = {"--modes"}, absentValue = "train,infer") String modes,
            @Descriptor("layer layout: nhwc (fastest) or nchw") @Parameter(names = {"--layout"}, absentValue = "nhwc") String layout,
            @Descriptor("ReLU after a conv: pooled (its own layer after the conv's max pool where there is one: the same network, fastest), layer (its own layer) or fused (the conv layer's activation)")
            @Parameter(names = {"--relu"}, absentValue = "pooled") String relu,
            @Descriptor("DL4J workspaces: enabled or none") @Parameter(names = {"--workspace"}, absentValue = "enabled") String workspace,
            @Descriptor("keep conv pre-activations for backprop (device) or recompute them (none)")
            @Parameter(names = {"--cache"}, absentValue = "device") String cache,
            @Descriptor("data type: float or half (DL4J refuses bfloat16)") @Parameter(names = {"--dtype"}, absentValue = "float") String dtype,
            @Descriptor("the first conv's gradient for the input pictures in training: none (fastest; nothing uses it) or computed (DL4J's default)")
            @Parameter(names = {"--input-grad"}, absentValue = "none") String inputGrad) {
        SeedNets.Variant v = new SeedNets.Variant(
                choice("--layout", layout, org.deeplearning4j.nn.conf.CNN2DFormat.class),
                choice("--relu", relu, SeedNets.Relu.class),
                choice("--workspace", workspace, org.deeplearning4j.nn.conf.WorkspaceMode.class),
                choice("--cache", cache, org.deeplearning4j.nn.conf.CacheMode.class),
                choice("--dtype", dtype, DataType.class),
                switch (inputGrad) {
                    case "none" -> false;
                    case "computed" -> true;
                    default -> throw new IllegalArgumentException("--input-grad must be none or computed, not " + inputGrad);
                });
        for (String name : nets.split(",")) {
            for (String mode : modes.split(",")) {
                System.out.println(run(name.trim(), mode.trim(), seconds, v));
                System.out.flush();
            }
        }
    }

    private static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException(option + ": unknown value " + value);
    }

    static String run(String name, String mode, double seconds, SeedNets.Variant v) {
        SeedNets.Net n = SeedNets.build(name, v);
        Nd4j.getRandom().setSeed(0);
        INDArray x = Nd4j.rand(DataType.FLOAT, n.batch(), n.c(), n.h(), n.w()).castTo(v.dtype()); // NCHW as NETS.md specifies
        INDArray labels = switch (n.loss()) {
            case "ce40", "ce20" -> {
                int classes = n.loss().equals("ce40") ? 40 : 20;
                INDArray oneHot = Nd4j.zeros(DataType.FLOAT, n.batch(), classes);
                for (int i = 0; i < n.batch(); i++) {
                    oneHot.putScalar(i, Nd4j.getRandom().nextInt(classes), 1f);
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
        if (train && !v.inputGradient()) {
            konomi.nn.InputConvolution.install(n.model());
        }
        INDArray y = labels.castTo(v.dtype());
        boolean nhwc = v.layout() == org.deeplearning4j.nn.conf.CNN2DFormat.NHWC;
        // the NCHW input is turned channels-last inside every timed step, so the layout change is paid for
        java.util.function.Supplier<INDArray> input = () -> nhwc ? konomi.nn.Tensors.channelsLast(x) : x;
        org.deeplearning4j.nn.api.NeuralNetwork net = (org.deeplearning4j.nn.api.NeuralNetwork) n.model();
        Runnable step = train ? () -> net.fit(new DataSet(input.get(), y))
                : n.model() instanceof org.deeplearning4j.nn.graph.ComputationGraph g ? () -> g.output(false, input.get()) : () -> n.net().output(input.get(), false);
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
                + "\"images_per_s\": %.2f, \"ms_per_batch\": %.2f, \"config\": \"%s\"}", name, mode, n.batch(), steps * n.batch() / el,
                1000 * el / steps, v + " threads=" + threads() + " native=" + nativeLevel() + " hugepages=" + hugePages());
    }

    /** Which CPU level the loaded libnd4j binary was built for (the nd4j-native classifier). */
    private static String nativeLevel() {
        int level = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().binaryLevel();
        return switch (level) {
            case 0 -> "generic";
            case 1 -> "x86-64";
            case 2 -> "avx2";
            case 3 -> "avx512";
            default -> "level" + level;
        };
    }

    /** Whether glibc was asked for transparent huge pages (the launcher does; GLIBC_TUNABLES' last setting wins). */
    private static String hugePages() {
        String tunables = System.getenv().getOrDefault("GLIBC_TUNABLES", "");
        int at = tunables.lastIndexOf("glibc.malloc.hugetlb=");
        return at < 0 || tunables.startsWith("0", at + "glibc.malloc.hugetlb=".length()) ? "off" : "on";
    }

    /** The number of threads ND4J's native ops use (OMP_NUM_THREADS, or all cores). */
    private static int threads() {
        return Nd4j.getEnvironment().maxThreads();
    }
}
