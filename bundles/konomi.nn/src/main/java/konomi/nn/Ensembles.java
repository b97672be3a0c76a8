package konomi.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Several classifiers packed as one network: each member's layers side by side on one input, each member's softmax
 * output layer turned into a hidden layer of the same weights, their outputs averaged, and an output layer of identity
 * weights (its loss is never used). Two means: {@linkplain #mean arithmetic}, the members' probabilities averaged (hidden
 * softmax layers, identity output, MSE because DL4J refuses cross-entropy on an identity output), and
 * {@linkplain #withMean geometric}, their logits averaged and then a softmax (hidden
 * identity layers, softmax output): the normalised geometric mean of their probabilities, which a face two members both
 * doubt cannot win on one member's certainty. Either way an ensemble is one ordinary DL4J graph that every reader of a
 * network (scoring, {@link FoldedNet}, the flip test, eval:run) takes as it takes one network.
 */
public final class Ensembles {
    /** Names in the packed graph: the shared input, each member's prefix, the mean and the output. */
    static final String INPUT = "input", MEAN = "mean", OUTPUT = "output";

    private Ensembles() {
    }

    static String prefix(int member) {
        return "m" + member + "_";
    }

    /**
     * The mean of the members' probabilities as one graph.
     *
     * @param members classifiers of the same labels, input size and layout (layer networks or graphs), each
     *                calibrated already if it is to be: calibration folds into a member's own output layer
     * @param size    the input side in pixels
     * @throws IllegalArgumentException when a member is not a softmax classifier or the members disagree
     */
    public static ComputationGraph mean(List<? extends Model> members, int size) {
        if (members.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs two networks or more, got " + members.size());
        }
        boolean last = Nets.channelsLast(members.get(0));
        long labels = Nets.outputs(members.get(0));
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().graphBuilder().addInputs(INPUT);
        List<ComputationGraph> graphs = new ArrayList<>();
        String[] outs = new String[members.size()];
        for (int k = 0; k < members.size(); k++) {
            Model m = members.get(k);
            if (Nets.outputs(m) != labels || Nets.channelsLast(m) != last) {
                throw new IllegalArgumentException("network " + (k + 1) + " has " + Nets.outputs(m) + " outputs" + (Nets.channelsLast(m) ? ", channels-last" : "")
                        + " against network 1's " + labels + (last ? ", channels-last" : "") + ": an ensemble averages networks of the same labels and layout");
            }
            ComputationGraph g = m instanceof MultiLayerNetwork net ? net.toComputationGraph() : (ComputationGraph) m;
            graphs.add(g);
            outs[k] = add(b, g, prefix(k));
        }
        b.addVertex(MEAN, new ElementWiseVertex(ElementWiseVertex.Op.Average), outs)
                .addLayer(OUTPUT, new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nIn(labels).nOut(labels).build(), MEAN)
                .setOutputs(OUTPUT)
                .setInputTypes(InputType.convolutional(size, size, 3, last ? org.deeplearning4j.nn.conf.CNN2DFormat.NHWC : org.deeplearning4j.nn.conf.CNN2DFormat.NCHW));
        ComputationGraph packed = new ComputationGraph(b.build());
        packed.init();
        for (int k = 0; k < graphs.size(); k++) {
            for (org.deeplearning4j.nn.graph.vertex.GraphVertex v : graphs.get(k).getVertices()) {
                if (v.hasLayer()) { // by vertex name: a converted layer network's layers keep names of their own
                    Map<String, INDArray> to = packed.getLayer(prefix(k) + v.getVertexName()).paramTable();
                    v.getLayer().paramTable().forEach((key, value) -> to.get(key).assign(value));
                }
            }
        }
        packed.getLayer(OUTPUT).setParam("W", Nd4j.eye(labels).castTo(DataType.FLOAT));
        packed.getLayer(OUTPUT).setParam("b", Nd4j.zeros(DataType.FLOAT, 1, labels));
        return packed;
    }

    /**
     * The same ensemble with the other mean: {@code geometric} averages the members' logits and applies one softmax,
     * otherwise their probabilities are averaged. Only activations and the unused loss change, so the weights carry
     * over as they are (a packed ensemble can switch without its members' runs).
     */
    public static ComputationGraph withMean(ComputationGraph packed, boolean geometric) {
        if (members(packed) == 0) {
            throw new IllegalArgumentException("not an ensemble packed by Konomi (no vertex " + MEAN + ")");
        }
        ComputationGraphConfiguration conf = packed.getConfiguration().clone();
        for (String member : conf.getVertexInputs().get(MEAN)) {
            ((org.deeplearning4j.nn.conf.layers.BaseLayer) ((LayerVertex) conf.getVertices().get(member)).getLayerConf().getLayer())
                    .setActivationFn((geometric ? Activation.IDENTITY : Activation.SOFTMAX).getActivationFunction());
        }
        OutputLayer out = (OutputLayer) ((LayerVertex) conf.getVertices().get(OUTPUT)).getLayerConf().getLayer();
        out.setActivationFn((geometric ? Activation.SOFTMAX : Activation.IDENTITY).getActivationFunction());
        out.setLossFn((geometric ? LossFunction.MCXENT : LossFunction.MSE).getILossFunction());
        ComputationGraph g = new ComputationGraph(conf);
        g.init(packed.params().dup(), false);
        return g;
    }

    /** Whether a packed ensemble averages its members' logits ({@link #withMean}). */
    public static boolean isGeometric(Model net) {
        return members(net) > 0 && ((org.deeplearning4j.nn.conf.layers.BaseLayer) ((ComputationGraph) net).getLayer(memberOutputs((ComputationGraph) net).get(0))
                .conf().getLayer()).getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationIdentity;
    }

    /** Adds {@code g}'s vertices under {@code prefix}; returns the name of its (now hidden) softmax layer. */
    private static String add(ComputationGraphConfiguration.GraphBuilder b, ComputationGraph g, String prefix) {
        ComputationGraphConfiguration conf = g.getConfiguration();
        String in = conf.getNetworkInputs().get(0), out = conf.getNetworkOutputs().get(0);
        for (int i : g.topologicalSortOrder()) {
            String name = g.getVertices()[i].getVertexName();
            if (conf.getNetworkInputs().contains(name)) {
                continue;
            }
            String[] inputs = conf.getVertexInputs().get(name).stream().map(x -> x.equals(in) ? INPUT : prefix + x).toArray(String[]::new);
            GraphVertex v = conf.getVertices().get(name);
            if (!(v instanceof LayerVertex lv)) {
                b.addVertex(prefix + name, v.clone(), inputs);
            } else if (name.equals(out)) {
                if (!(lv.getLayerConf().getLayer() instanceof OutputLayer o)
                        || !(o.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationSoftmax)) {
                    throw new IllegalArgumentException("not a classifier (its output is not a softmax layer): an ensemble averages probabilities");
                }
                b.addLayer(prefix + name, new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(o.getNIn()).nOut(o.getNOut())
                        .activation(Activation.SOFTMAX).build(), inputs);
            } else {
                // preprocessors are not copied: the input types given to the builder put the same ones back
                b.addLayer(prefix + name, lv.getLayerConf().getLayer().clone(), inputs);
            }
        }
        return prefix + out;
    }

    /** The members' output layers (softmax, or identity in a geometric ensemble), in order. */
    private static List<String> memberOutputs(ComputationGraph g) {
        return g.getConfiguration().getVertexInputs().get(MEAN);
    }

    /** The width of the members' pooled features side by side: what a new head on an ensemble reads ({@link #fromBase}). */
    static long featureWidth(ComputationGraph ensemble) {
        return memberOutputs(ensemble).stream()
                .mapToLong(v -> ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) ensemble.getLayer(v).conf().getLayer()).getNIn()).sum();
    }

    /**
     * Transfer from an ensemble (train:run --init): the members' features side by side (what each member's softmax
     * read), then {@code head}; their probabilities, a 20-wide bottleneck of one dataset's characters, are dropped.
     * With {@code freeze} only the head learns.
     */
    static ComputationGraph fromBase(ComputationGraph ensemble, OutputLayer head, org.deeplearning4j.nn.transferlearning.FineTuneConfiguration ft,
                                     boolean freeze) {
        List<String> outputs = memberOutputs(ensemble);
        String[] features = outputs.stream().map(v -> ensemble.getConfiguration().getVertexInputs().get(v).get(0)).toArray(String[]::new);
        org.deeplearning4j.nn.transferlearning.TransferLearning.GraphBuilder b = new org.deeplearning4j.nn.transferlearning.TransferLearning.GraphBuilder(ensemble)
                .fineTuneConfiguration(ft).removeVertexAndConnections(OUTPUT).removeVertexAndConnections(MEAN);
        outputs.forEach(b::removeVertexAndConnections);
        b.addVertex("features", new org.deeplearning4j.nn.conf.graph.MergeVertex(), features).addLayer(OUTPUT, head, "features").setOutputs(OUTPUT);
        if (freeze) {
            b.setFeatureExtractor(features);
        }
        return b.build();
    }

    /**
     * A regressor through an ensemble's labels (train:run --via-labels): the ensemble whole and frozen, its mean
     * probabilities (after a softmax on the mean logits of a geometric one) read by {@code rating}, one weight per label
     * and a bias.
     */
    static ComputationGraph viaLabels(ComputationGraph ensemble, OutputLayer rating, org.deeplearning4j.nn.transferlearning.FineTuneConfiguration ft) {
        org.deeplearning4j.nn.transferlearning.TransferLearning.GraphBuilder b = new org.deeplearning4j.nn.transferlearning.TransferLearning.GraphBuilder(ensemble)
                .fineTuneConfiguration(ft).removeVertexAndConnections(OUTPUT);
        String probabilities = MEAN;
        if (isGeometric(ensemble)) {
            probabilities = "probabilities";
            b.addLayer(probabilities, new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder().activation(Activation.SOFTMAX).build(), MEAN);
        }
        return b.addLayer(OUTPUT, rating, probabilities).setOutputs(OUTPUT).setFeatureExtractor(memberOutputs(ensemble).toArray(String[]::new)).build();
    }

    /** How many members a network packed by {@link #mean} holds (0 for any other network). */
    public static int members(Model net) {
        if (!(net instanceof ComputationGraph g) || !g.getConfiguration().getVertices().containsKey(MEAN)) {
            return 0;
        }
        return g.getConfiguration().getVertexInputs().get(MEAN).size();
    }

    /**
     * The network with its weights stored at half precision (16-bit floats): half the file for a relative rounding
     * of 2^-11 per weight. {@link Nets#restoreModel} turns it back to 32 bits on loading, so it computes in
     * single precision as every other network does.
     */
    public static Model halfPrecision(Model net) {
        return net instanceof ComputationGraph g ? g.convertDataType(DataType.HALF) : ((MultiLayerNetwork) net).convertDataType(DataType.HALF);
    }
}
