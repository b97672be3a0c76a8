package konomi.nn;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A network with its batch norms folded into the convolutions before them, its dropout removed and its frozen layers
 * unwrapped, in the layout asked for: the same function as the network at inference, with fewer passes over the
 * activations. Scorers score with it (fewer ops, and channels-last, which oneDNN infers faster); viz:input needs it
 * because its training-mode forward pass is that function too (DL4J computes input gradients only after a
 * training-mode pass, where batch norm would use the statistics of the batch instead of the learnt ones).
 */
public final class FoldedNet {
    private FoldedNet() {
    }

    private static Layer unwrapped(Layer l) {
        while (true) {
            if (l instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer f) {
                l = f.getLayer();
            } else if (l instanceof org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer w) {
                l = w.getUnderlying();
            } else {
                return l;
            }
        }
    }

    /** The folded network taking {@code size x size} input in {@code layout} (its weights are the same in both). */
    public static MultiLayerNetwork fold(MultiLayerNetwork net, int size, CNN2DFormat layout) {
        int n = net.getnLayers();
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().list();
        java.util.List<int[]> plan = new java.util.ArrayList<>(); // {source layer, folded batch norm or -1}
        for (int i = 0; i < n; i++) {
            Layer l = unwrapped(net.getLayerWiseConfigurations().getConf(i).getLayer());
            if (l instanceof DropoutLayer) {
                continue;
            }
            if (l instanceof BatchNormalization && !plan.isEmpty() && plan.get(plan.size() - 1)[1] == -2) {
                plan.get(plan.size() - 1)[1] = i;
                continue;
            }
            if (l instanceof BatchNormalization) {
                throw new IllegalArgumentException("layer " + i + ": a batch norm that does not follow a convolution cannot be folded");
            }
            Layer copy = inLayout(l, layout);
            plan.add(new int[] {i, copy instanceof ConvolutionLayer ? -2 : -1});
            b.layer(copy);
        }
        MultiLayerNetwork folded = new MultiLayerNetwork(b.setInputType(InputType.convolutional(size, size, 3, layout)).build());
        folded.init();
        for (int j = 0; j < plan.size(); j++) {
            int src = plan.get(j)[0], bn = plan.get(j)[1];
            Map<String, INDArray> from = net.getLayer(src).paramTable(), to = folded.getLayer(j).paramTable();
            if (bn >= 0) {
                foldBatchNorm(unwrapped(net.getLayerWiseConfigurations().getConf(src).getLayer()), from, net.getLayer(bn).paramTable(),
                        (BatchNormalization) unwrapped(net.getLayerWiseConfigurations().getConf(bn).getLayer()), to);
            } else {
                copy(from, to);
            }
        }
        return folded;
    }

    /** The folded network of either kind. */
    public static Model fold(Model net, int size, CNN2DFormat layout) {
        return net instanceof ComputationGraph g ? fold(g, size, layout) : fold((MultiLayerNetwork) net, size, layout);
    }

    /**
     * The same for a graph (a residual network): each batch norm whose input is a convolution that feeds nothing else
     * is folded into it, dropout is dropped, and the vertices that read either read what they read instead.
     */
    public static ComputationGraph fold(ComputationGraph net, int size, CNN2DFormat layout) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Map<String, Integer> readers = new HashMap<>();
        inputs.values().forEach(l -> l.forEach(v -> readers.merge(v, 1, Integer::sum)));
        Map<String, String> renamed = new HashMap<>(); // a dropped vertex -> the vertex that now stands for it
        Map<String, String> folds = new LinkedHashMap<>(); // conv -> its batch norm
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().graphBuilder();
        conf.getNetworkInputs().forEach(b::addInputs);
        for (int i : net.topologicalSortOrder()) {
            String name = net.getVertices()[i].getVertexName();
            if (conf.getNetworkInputs().contains(name)) {
                continue;
            }
            GraphVertex v = conf.getVertices().get(name);
            String[] in = inputs.get(name).stream().map(x -> renamed.getOrDefault(x, x)).toArray(String[]::new);
            Layer l = v instanceof LayerVertex lv ? unwrapped(lv.getLayerConf().getLayer()) : null;
            if (l instanceof DropoutLayer) {
                renamed.put(name, in[0]);
                continue;
            }
            if (l instanceof BatchNormalization) {
                String source = inputs.get(name).get(0);
                if (inputs.get(name).size() != 1 || !(conf.getVertices().get(source) instanceof LayerVertex sv)
                        || !(unwrapped(sv.getLayerConf().getLayer()) instanceof ConvolutionLayer) || readers.get(source) != 1) {
                    throw new IllegalArgumentException(name + ": a batch norm that does not follow a convolution of its own cannot be folded");
                }
                folds.put(source, name);
                renamed.put(name, source);
                continue;
            }
            if (l == null) {
                b.addVertex(name, v.clone(), in);
                continue;
            }
            b.addLayer(name, inLayout(l, layout), in);
        }
        b.setOutputs(conf.getNetworkOutputs().stream().map(x -> renamed.getOrDefault(x, x)).toArray(String[]::new));
        ComputationGraph folded = new ComputationGraph(b.setInputTypes(InputType.convolutional(size, size, 3, layout)).build());
        folded.init();
        for (org.deeplearning4j.nn.api.Layer target : folded.getLayers()) {
            String name = target.conf().getLayer().getLayerName();
            Map<String, INDArray> from = net.getLayer(name).paramTable(), to = target.paramTable();
            String bn = folds.get(name);
            if (bn != null) {
                foldBatchNorm(unwrapped(((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer()), from, net.getLayer(bn).paramTable(),
                        (BatchNormalization) unwrapped(((LayerVertex) conf.getVertices().get(bn)).getLayerConf().getLayer()), to);
            } else {
                copy(from, to);
            }
        }
        return folded;
    }

    /** A copy of a layer in {@code layout}; a convolution gets a bias, which takes its batch norm's shift. */
    private static Layer inLayout(Layer l, CNN2DFormat layout) {
        Layer copy = l.clone();
        if (copy instanceof org.deeplearning4j.nn.conf.layers.SubsamplingLayer p) {
            p.setCnn2dDataFormat(layout);
        }
        if (copy instanceof SqueezeExcite se) {
            se.setDataFormat(layout);
        }
        if (copy instanceof ConvolutionLayer c) {
            c.setCnn2dDataFormat(layout);
            c.setHasBias(true);
        }
        return copy;
    }

    /** Writes into {@code to} the convolution {@code from} (of kind {@code conv}) with the batch norm {@code p} after it folded in. */
    private static void foldBatchNorm(Layer conv, Map<String, INDArray> from, Map<String, INDArray> p, BatchNormalization conf, Map<String, INDArray> to) {
        if (conv instanceof org.deeplearning4j.nn.conf.layers.SeparableConvolution2D) {
            throw new IllegalArgumentException("a batch norm after a separable convolution cannot be folded");
        }
        // DL4J keeps either the variance or log10 of the standard deviation (sqrt(var + eps))
        INDArray std = p.containsKey("log10stdev") ? Transforms.exp(p.get("log10stdev").mul(Math.log(10)), false)
                : Transforms.sqrt(p.get("var").add(conf.getEps()), false);
        std = std.reshape(-1);
        INDArray gamma = p.containsKey("gamma") ? p.get("gamma").reshape(-1) : std.mul(0).addi(conf.getGamma());
        INDArray beta = p.containsKey("beta") ? p.get("beta").reshape(-1) : std.mul(0).addi(conf.getBeta());
        INDArray k = gamma.div(std); // per output channel
        INDArray w = from.get("W").dup();
        if (conv instanceof org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D) {
            // [kh, kw, in, multiplier]: output channel in * multiplier + m, the last two dimensions flattened
            w.reshape('c', w.size(0) * w.size(1), w.size(2) * w.size(3)).muliRowVector(k);
        } else {
            for (long o = 0; o < w.size(0); o++) { // [out, in, kh, kw]
                w.slice(o).muli(k.getDouble(o));
            }
        }
        to.get("W").assign(w);
        INDArray bias = beta.sub(gamma.mul(p.get("mean").reshape(-1)).div(std));
        if (from.containsKey("b")) {
            bias.addi(from.get("b").reshape(-1).mul(k));
        }
        to.get("b").assign(bias.reshape(to.get("b").shape()));
    }

    private static void copy(Map<String, INDArray> from, Map<String, INDArray> to) {
        for (Map.Entry<String, INDArray> e : from.entrySet()) {
            to.get(e.getKey()).assign(e.getValue());
        }
        if (to.containsKey("b") && !from.containsKey("b")) {
            to.get("b").assign(0);
        }
    }
}
