package konomi.nn;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Squeeze-and-excitation (Hu et al. 2018) as one layer: each channel's mean over the picture, a bottleneck
 * {@code relu(s W1 + b1)} of {@code channels / reduction} units, a gate {@code sigmoid(z W2 + b2)} per channel, and the
 * input scaled by its channel's gate. DL4J 1.0.0-M2.1 has no vertex that multiplies a feature map by a per-channel
 * vector, so the whole block is one layer with its own backward pass (a handful of small ops; nothing is kept between
 * the passes: the gate is recomputed from the input, which costs one mean and two tiny products). Its configuration is
 * named by class in a saved network, which is why it lives in konomi.nn with the losses (read through this bundle's
 * class loader).
 */
public class SqueezeExcite extends FeedForwardLayer {
    private int reduction = 8;
    private CNN2DFormat dataFormat = CNN2DFormat.NCHW;

    public SqueezeExcite() {
        // for Jackson
    }

    private SqueezeExcite(Builder b) {
        super(b);
        reduction = b.reduction;
    }

    public int getReduction() {
        return reduction;
    }

    public CNN2DFormat getDataFormat() {
        return dataFormat;
    }

    public void setDataFormat(CNN2DFormat dataFormat) {
        this.dataFormat = dataFormat;
    }

    /** Units in the bottleneck. */
    long hidden() {
        return Math.max(1, nIn / reduction);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
            INDArray params, boolean initialize, DataType dataType) {
        Impl layer = new Impl(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(params);
        layer.setParamTable(initializer().init(conf, params, initialize));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return Params.INSTANCE;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c)) {
            throw new IllegalArgumentException("squeeze-excitation needs a feature map, not " + inputType);
        }
        if (nIn <= 0 || override) {
            nIn = c.getChannels();
            nOut = nIn;
            dataFormat = c.getFormat();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long n = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, SqueezeExcite.class, inputType, inputType)
                .standardMemory(n, getIUpdater().stateSize(n)).workingMemory(0, 0, 0, 0)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS).build();
    }

    /** The layout is the input's (set with the input type), so the builder does not take one. */
    public static final class Builder extends FeedForwardLayer.Builder<Builder> {
        private int reduction = 8;

        /** Channels per bottleneck unit (8: 64 channels squeeze to 8). */
        public Builder reduction(int reduction) {
            this.reduction = reduction;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SqueezeExcite build() {
            return new SqueezeExcite(this);
        }
    }

    /** W1 [channels, hidden], b1 [1, hidden], W2 [hidden, channels], b2 [1, channels], in that order in the flat view, each in
     * column-major order as DL4J's own layers (BaseLayer.setParams reads them so). */
    static final class Params implements ParamInitializer {
        static final Params INSTANCE = new Params();
        static final String W1 = "W1", B1 = "b1", W2 = "W2", B2 = "b2";

        @Override
        public long numParams(NeuralNetConfiguration conf) {
            return numParams(conf.getLayer());
        }

        @Override
        public long numParams(Layer layer) {
            SqueezeExcite se = (SqueezeExcite) layer;
            long c = se.getNIn(), h = se.hidden();
            return c * h + h + h * c + c;
        }

        @Override
        public List<String> paramKeys(Layer layer) {
            return List.of(W1, B1, W2, B2);
        }

        @Override
        public List<String> weightKeys(Layer layer) {
            return List.of(W1, W2);
        }

        @Override
        public List<String> biasKeys(Layer layer) {
            return List.of(B1, B2);
        }

        @Override
        public boolean isWeightParam(Layer layer, String key) {
            return W1.equals(key) || W2.equals(key);
        }

        @Override
        public boolean isBiasParam(Layer layer, String key) {
            return B1.equals(key) || B2.equals(key);
        }

        @Override
        public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray view, boolean initialize) {
            SqueezeExcite se = (SqueezeExcite) conf.getLayer();
            Map<String, INDArray> p = split(se, view);
            p.keySet().forEach(conf::addVariable); // what setParams counts (transfer learning copies weights with it)
            if (initialize) {
                long c = se.getNIn(), h = se.hidden();
                se.getWeightInitFn().init(c, h, new long[] {c, h}, 'f', p.get(W1));
                se.getWeightInitFn().init(h, c, new long[] {h, c}, 'f', p.get(W2));
                p.get(B1).assign(0);
                p.get(B2).assign(0); // every gate starts at one half
            }
            return p;
        }

        @Override
        public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray view) {
            return split((SqueezeExcite) conf.getLayer(), view);
        }

        private static Map<String, INDArray> split(SqueezeExcite se, INDArray view) {
            long c = se.getNIn(), h = se.hidden();
            INDArray flat = view.reshape(-1);
            Map<String, INDArray> p = new LinkedHashMap<>();
            long at = 0;
            for (Object[] part : new Object[][] {{W1, c, h}, {B1, 1L, h}, {W2, h, c}, {B2, 1L, c}}) {
                long rows = (Long) part[1], cols = (Long) part[2];
                p.put((String) part[0], flat.get(NDArrayIndex.interval(at, at + rows * cols)).reshape('f', rows, cols));
                at += rows * cols;
            }
            return p;
        }
    }

    /** The layer itself. */
    static final class Impl extends BaseLayer<SqueezeExcite> {
        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        private int channelDim() {
            return layerConf().getDataFormat() == CNN2DFormat.NHWC ? 3 : 1;
        }

        private int[] spatialDims() {
            return layerConf().getDataFormat() == CNN2DFormat.NHWC ? new int[] {1, 2} : new int[] {2, 3};
        }

        /** {s, z, gate}: the channel means [n, c], the bottleneck after ReLU [n, h], the gate [n, c]. */
        private INDArray[] gate(INDArray x) {
            INDArray s = x.mean(spatialDims());
            INDArray z = Transforms.relu(s.mmul(getParam(Params.W1)).addiRowVector(getParam(Params.B1)), false);
            INDArray g = Transforms.sigmoid(z.mmul(getParam(Params.W2)).addiRowVector(getParam(Params.B2)), false);
            return new INDArray[] {s, z, g};
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
            assertInputSet(false);
            INDArray g = gate(input)[2];
            INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
            Nd4j.getExecutioner().exec(new BroadcastMulOp(input, g, out, 0, channelDim()));
            return out;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
            assertInputSet(true);
            INDArray[] f = gate(input);
            INDArray s = f[0], z = f[1], g = f[2];
            int c = channelDim();
            int[] hw = spatialDims();
            // y = x * g: dx = eps * g + (through the mean) d(loss)/ds / (h * w); dg = sum over the picture of eps * x
            INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
            Nd4j.getExecutioner().exec(new BroadcastMulOp(epsilon, g, dx, 0, c));
            INDArray dg = epsilon.mul(input).sum(hw);
            INDArray da2 = dg.muli(g).muli(g.rsub(1)); // sigmoid'
            Map<String, INDArray> v = gradientViews;
            Nd4j.gemm(z, da2, v.get(Params.W2), true, false, 1.0, 0.0);
            v.get(Params.B2).assign(da2.sum(true, 0));
            INDArray da1 = da2.mmul(getParam(Params.W2).transpose()).muli(z.gt(0).castTo(z.dataType())); // relu'
            Nd4j.gemm(s, da1, v.get(Params.W1), true, false, 1.0, 0.0);
            v.get(Params.B1).assign(da1.sum(true, 0));
            INDArray ds = da1.mmul(getParam(Params.W1).transpose()).divi(input.size(hw[0]) * input.size(hw[1]));
            Nd4j.getExecutioner().exec(new BroadcastAddOp(dx, ds, dx, 0, c));
            Gradient grad = new DefaultGradient(gradientsFlattened);
            for (String k : Params.INSTANCE.paramKeys(layerConf())) {
                grad.setGradientFor(k, v.get(k));
            }
            return new Pair<>(grad, dx);
        }

        @Override
        public boolean isPretrainLayer() {
            return false;
        }

        @Override
        public Type type() {
            return Type.CONVOLUTIONAL;
        }
    }
}
