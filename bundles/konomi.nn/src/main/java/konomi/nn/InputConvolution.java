package konomi.nn;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Backprop of a network's first convolution without the gradient for the input pictures, which training never
 * uses. DL4J always asks libnd4j's {@code conv2d_bp} for it, and for a 3-channel input oneDNN computes it in a
 * 16-channel padded layout after copying the (uninitialised) output into that layout, and reorders the incoming
 * gradient twice: in cnn9 that is 40% of a training step's oneDNN time (bench/RESULTS.md). PyTorch skips it.
 *
 * <p>Here the weight and bias gradients are one matrix product instead: the input, padded once, is unrolled
 * (im2col) a chunk of pictures at a time with one strided copy per (channel, kernel row, kernel column) — a few
 * rows, since the input has 3 channels — plus a row of ones for the bias, and multiplied by the incoming
 * gradient, which in channels-last layout already is a matrix (pixels × output channels). Forward passes stay
 * with DL4J's oneDNN helper.
 *
 * <p>Installed only on networks being fitted ({@link #install}): the layer then returns no input gradient, so
 * a network whose input gradient is wanted (saliency, a GAN's discriminator) must not have it.
 */
public final class InputConvolution implements ConvolutionHelper {
    /** Floats of unrolled input per chunk (32 MB), so the unrolled chunk stays in cache-friendly sizes. */
    private static final long CHUNK_FLOATS = 8L << 20;

    /** The layer's own helper for the forward pass: DL4J's oneDNN one, or none (DL4J's im2col then). */
    private final ConvolutionHelper forward;

    private InputConvolution(ConvolutionHelper forward) {
        this.forward = forward;
    }

    /**
     * Puts the helper on the convolutions that take a network input as it is (a layer network's first layer; a
     * graph's layers fed by an input that feeds nothing else), when they are plain float convolutions without
     * dilation; returns how many it is on. Idempotent.
     */
    public static int install(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            if (net.getnLayers() == 0 || net.getLayerWiseConfigurations().getInputPreProcess(0) != null) {
                return 0;
            }
            return installOn(net.getLayer(0)) || installedOn(net.getLayer(0)) ? 1 : 0;
        }
        if (model instanceof ComputationGraph g) {
            Map<String, List<String>> inputs = g.getConfiguration().getVertexInputs();
            int n = 0;
            for (String in : g.getConfiguration().getNetworkInputs()) {
                List<String> fed = inputs.entrySet().stream().filter(e -> e.getValue().contains(in)).map(Map.Entry::getKey).toList();
                // a second consumer would add its input gradient to this one's (absent) gradient
                if (fed.size() == 1 && inputs.get(fed.get(0)).size() == 1
                        && g.getConfiguration().getVertices().get(fed.get(0)) instanceof LayerVertex v && v.getPreProcessor() == null) {
                    Layer layer = g.getLayer(fed.get(0));
                    n += installOn(layer) || installedOn(layer) ? 1 : 0;
                }
            }
            return n;
        }
        return 0;
    }

    private static boolean installOn(Layer layer) {
        if (layer.getClass() != ConvolutionLayer.class) { // not the depthwise, separable, 1D or transposed kinds
            return false;
        }
        var conf = (org.deeplearning4j.nn.conf.layers.ConvolutionLayer) layer.conf().getLayer();
        if (layer.params().dataType() != DataType.FLOAT || Arrays.stream(conf.getDilation()).anyMatch(d -> d != 1)
                || conf.getConvolutionMode() == ConvolutionMode.Causal || !Nd4j.getEnvironment().isCPU()) {
            return false;
        }
        if (HELPER == null) {
            return false; // another DL4J version: the standard path still works
        }
        try {
            Object previous = HELPER.get(layer);
            if (previous != null && !(previous instanceof MKLDNNConvHelper)) {
                return false; // cuDNN
            }
            HELPER.set(layer, new InputConvolution((ConvolutionHelper) previous));
            return true;
        } catch (IllegalAccessException e) {
            return false;
        }
    }

    /** Whether {@code layer} has this helper. */
    static boolean installedOn(Layer layer) {
        try {
            return HELPER != null && layer instanceof ConvolutionLayer && HELPER.get(layer) instanceof InputConvolution;
        } catch (IllegalAccessException e) {
            return false;
        }
    }

    /** DL4J's ConvolutionLayer keeps its helper in a protected field with no setter. */
    private static final Field HELPER = helperField();

    private static Field helperField() {
        try {
            Field f = ConvolutionLayer.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta, int[] kernel, int[] strides,
                                                     int[] pad, INDArray biasGradView, INDArray weightGradView, IActivation afn, AlgoMode mode,
                                                     BwdFilterAlgo bwdFilterAlgo, BwdDataAlgo bwdDataAlgo, ConvolutionMode convolutionMode,
                                                     int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        boolean nhwc = format == CNN2DFormat.NHWC;
        // channels first, batch second: [C, N, H, W], whatever the layout
        INDArray x = nhwc ? input.permute(3, 0, 1, 2) : input.permute(1, 0, 2, 3);
        INDArray d = contiguousC(delta) ? delta : delta.dup('c'); // [N, oH, oW, oC] or [N, oC, oH, oW]
        long n = x.size(1), c = x.size(0), h = x.size(2), w = x.size(3);
        long outC = weights.size(0), outH = nhwc ? d.size(1) : d.size(2), outW = nhwc ? d.size(2) : d.size(3);
        int kH = kernel[0], kW = kernel[1], sH = strides[0], sW = strides[1];
        long top = pad[0], left = pad[1];
        long hp = Math.max((outH - 1) * sH + kH, top + h);
        long wp = Math.max((outW - 1) * sW + kW, left + w);
        INDArray xp = workspaceMgr.create(ArrayType.BP_WORKING_MEM, DataType.FLOAT, c, n, hp, wp);
        xp.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(top, top + h), NDArrayIndex.interval(left, left + w)).assign(x);
        long rows = c * kH * kW + 1; // the last row is ones: the bias gradient
        long pixels = outH * outW;
        long chunk = Math.max(1, Math.min(n, CHUNK_FLOATS / (rows * pixels)));
        INDArray buffer = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, rows * chunk * pixels);
        // NHWC: acc[row, o] = sum over pixels of col[row, pixel] * delta[pixel, o]; NCHW: its transpose, picture by picture
        INDArray acc = nhwc ? workspaceMgr.create(ArrayType.BP_WORKING_MEM, DataType.FLOAT, rows, outC)
                : workspaceMgr.create(ArrayType.BP_WORKING_MEM, DataType.FLOAT, outC, rows);
        for (long s = 0; s < n; s += chunk) {
            long b = Math.min(chunk, n - s);
            INDArray flat = buffer.get(NDArrayIndex.interval(0, rows * b * pixels));
            // NHWC wants rows outermost ([rows, b·pixels] is the product's left matrix); NCHW one [rows, pixels] block per picture
            INDArray col = nhwc ? flat.reshape('c', rows, b, outH, outW) : flat.reshape('c', b, rows, outH, outW);
            for (long ch = 0; ch < c; ch++) {
                for (int i = 0; i < kH; i++) {
                    for (int j = 0; j < kW; j++) {
                        long r = (ch * kH + i) * kW + j;
                        target(col, r, nhwc).assign(xp.get(NDArrayIndex.point(ch), NDArrayIndex.interval(s, s + b),
                                NDArrayIndex.interval(i, sH, i + (outH - 1) * sH + 1), NDArrayIndex.interval(j, sW, j + (outW - 1) * sW + 1)));
                    }
                }
            }
            target(col, rows - 1, nhwc).assign(1f);
            if (nhwc) {
                INDArray dm = d.get(NDArrayIndex.interval(s, s + b)).reshape('c', b * pixels, outC);
                Nd4j.gemm(col.reshape('c', rows, b * pixels), dm, acc, false, false, 1.0, 1.0);
            } else {
                for (long p = 0; p < b; p++) {
                    INDArray dm = d.get(NDArrayIndex.point(s + p)).reshape('c', outC, pixels);
                    Nd4j.gemm(dm, col.get(NDArrayIndex.point(p)).reshape('c', rows, pixels), acc, false, true, 1.0, 1.0);
                }
            }
        }
        INDArray byRow = nhwc ? acc : acc.transpose(); // [rows, outC]
        weightGradView.assign(byRow.get(NDArrayIndex.interval(0, rows - 1)).transpose().reshape('c', outC, c, kH, kW));
        Gradient g = new DefaultGradient();
        if (biasGradView != null) {
            biasGradView.assign(byRow.get(NDArrayIndex.point(rows - 1)).reshape(biasGradView.shape()));
            g.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        g.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        return new Pair<>(g, null);
    }

    /** The [b, outH, outW] slice of the unrolled chunk that holds one row. */
    private static INDArray target(INDArray col, long row, boolean nhwc) {
        return nhwc ? col.get(NDArrayIndex.point(row)) : col.get(NDArrayIndex.all(), NDArrayIndex.point(row));
    }

    private static boolean contiguousC(INDArray a) {
        long expected = 1;
        for (int i = a.rank() - 1; i >= 0; i--) {
            if (a.size(i) != 1 && a.stride(i) != expected) {
                return false;
            }
            expected *= a.size(i);
        }
        return true;
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad, AlgoMode mode,
                              FwdAlgo fwdAlgo, ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        return forward == null ? null // DL4J's own forward pass
                : forward.preOutput(input, weights, bias, kernel, strides, pad, mode, fwdAlgo, convolutionMode, dilation, format, workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        return forward == null ? null : forward.activate(z, afn, training);
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return forward == null ? Map.of() : forward.helperMemoryUse();
    }

    @Override
    public boolean checkSupported() {
        return true;
    }
}
