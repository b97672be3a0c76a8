package konomi.nn;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Konomi's face network: a strided 5x5 stem (32), then three stages of 2x2 max pool + conv3x3 + batch
 * norm + ReLU, widths 64-128-256 with a second conv in the 128 stage, global average pooling, dropout, and a
 * softmax (classification) or linear (regression) output. About 0.56 M parameters (~2.2 MB as a model zip)
 * and ~60 M multiply-adds per 96 px face: small enough to ship in a bundle, fast enough to train on a CPU.
 */
public final class Nets {
    private Nets() {
    }

    public static MultiLayerNetwork faceNet(ModelMeta meta, long seed, ISchedule learningRate, double weightDecay) {
        return faceNet(meta, seed, learningRate, weightDecay, CNN2DFormat.NCHW);
    }

    /**
     * The face network in the given layout. NCHW is the default because it trains faster: measured with
     * {@code bench:nets --nets konomi_face96}, NCHW trains 5-10% faster (oneDNN's batch-norm backward and the
     * conv reorders), NHWC infers about 20% faster; training is what a user waits for, and inference is a
     * small part of score:run. Both load and score: {@link #channelsLast} tells which a network is.
     */
    public static MultiLayerNetwork faceNet(ModelMeta meta, long seed, ISchedule learningRate, double weightDecay, CNN2DFormat layout) {
        return faceNet(meta, seed, learningRate, weightDecay, layout, FACE);
    }

    /**
     * The face network's shapes: {@code face} 32/64-128-128-256, {@code wide} 48/96-192-192-320 (1.1 M parameters,
     * 4.4 MB), {@code deep} 32/64-64-128-128-256-256 (two convs in every stage: 1.2 M parameters, ~1.7x the
     * multiply-adds of {@code face}).
     */
    public static final String FACE = "face", WIDE = "wide", DEEP = "deep", RES = "res", SE = "se", INVERTED = "inverted";

    /**
     * A network of any shape: {@link #RES} and {@link #INVERTED} are {@link ComputationGraph}s ({@link #residualNet},
     * {@link #invertedResidualNet}), the others a {@link MultiLayerNetwork}.
     */
    public static Model network(ModelMeta meta, long seed, ISchedule learningRate, double weightDecay, CNN2DFormat layout, String shape) {
        return switch (shape) {
            case RES -> residualNet(meta, seed, learningRate, weightDecay, layout, false);
            case SE -> residualNet(meta, seed, learningRate, weightDecay, layout, true);
            case INVERTED -> invertedResidualNet(meta, seed, learningRate, weightDecay, layout);
            default -> faceNet(meta, seed, learningRate, weightDecay, layout, shape);
        };
    }

    /**
     * MobileNetV2's inverted residual blocks (Sandler et al. 2018) at Konomi's sizes: a 3x3 stride-2 stem (32), then
     * blocks that widen 4x with a 1x1 conv, filter each channel alone with a 3x3 depthwise conv, and narrow back with
     * a linear 1x1 conv, adding the block's input where the shape allows; stages of 16 (1 block), 32 (2, stride 2),
     * 64 (3, stride 2), 128 (3, stride 2) and 160 (2) channels, a 1x1 conv to 512, global average pooling. ReLU6 and
     * batch norm as in the paper; no squeeze-excitation (the residual network has it: {@link #SE}).
     */
    public static ComputationGraph invertedResidualNet(ModelMeta meta, long seed, ISchedule learningRate, double weightDecay, CNN2DFormat layout) {
        ComputationGraphConfiguration.GraphBuilder g = base(seed, learningRate, weightDecay).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(meta.size(), meta.size(), 3, layout));
        g.addLayer("stem", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(32).activation(Activation.IDENTITY).hasBias(false).dataFormat(layout).build(), "in");
        String x = bnAct(g, "stem", Activation.RELU6);
        int in = 32;
        int[][] stages = {{1, 16, 1, 1}, {4, 32, 2, 2}, {4, 64, 3, 2}, {4, 128, 3, 2}, {4, 160, 2, 1}}; // expansion, width, blocks, stride
        int block = 0;
        for (int[] st : stages) {
            for (int i = 0; i < st[2]; i++) {
                String b = "b" + (++block);
                int stride = i == 0 ? st[3] : 1;
                String h = x;
                int wide = in * st[0];
                if (st[0] != 1) {
                    g.addLayer(b + "-expand", conv(1, wide, layout), h);
                    h = bnAct(g, b + "-expand", Activation.RELU6);
                }
                // He initialisation over the 9 inputs a depthwise filter has: DL4J's counts every input channel,
                // which made the filters 4-16x too small and the signal fade through the blocks
                g.addLayer(b + "-dw", new DepthwiseConvolution2D.Builder(3, 3).stride(stride, stride).depthMultiplier(1).nOut(wide)
                        .weightInit(new NormalDistribution(0, Math.sqrt(2.0 / 9))).activation(Activation.IDENTITY).hasBias(false)
                        .dataFormat(layout).build(), h);
                h = bnAct(g, b + "-dw", Activation.RELU6);
                g.addLayer(b + "-project", conv(1, st[1], layout), h);
                g.addLayer(b + "-project-bn", new BatchNormalization.Builder().build(), b + "-project");
                h = b + "-project-bn";
                if (stride == 1 && in == st[1]) {
                    g.addVertex(b + "-add", new ElementWiseVertex(ElementWiseVertex.Op.Add), h, x);
                    h = b + "-add";
                }
                x = h;
                in = st[1];
            }
        }
        g.addLayer("head", conv(1, 512, layout), x);
        x = bnAct(g, "head", Activation.RELU6);
        return withHead(g, x, meta);
    }

    /** Global average pooling of {@code x}, dropout and the output layer: the graph, built. */
    private static ComputationGraph withHead(ComputationGraphConfiguration.GraphBuilder g, String x, ModelMeta meta) {
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        g.addLayer("drop", new DropoutLayer.Builder(0.7).build(), "pool"); // DL4J's value is the probability of keeping
        g.addLayer("out", outputLayer(meta), "drop");
        ComputationGraph net = new ComputationGraph(g.setOutputs("out").build());
        net.init();
        return net;
    }

    private static String bnAct(ComputationGraphConfiguration.GraphBuilder g, String conv, Activation activation) {
        return bnAct(g, conv, activation, "act");
    }

    private static String bnAct(ComputationGraphConfiguration.GraphBuilder g, String conv, Activation activation, String suffix) {
        g.addLayer(conv + "-bn", new BatchNormalization.Builder().build(), conv);
        g.addLayer(conv + "-" + suffix, new ActivationLayer.Builder().activation(activation).build(), conv + "-bn");
        return conv + "-" + suffix;
    }

    /**
     * {@link #DEEP} with shortcuts: the same stem and stages (64, 128, 256), each stage's two convs a basic residual
     * block (He et al. 2016: conv-BN-ReLU-conv-BN, plus the block's input, then ReLU; a 1x1 conv and batch norm
     * projects the input where the width changes). 1.25 M parameters, 4.5 MB as a zip. The only difference from
     * {@code deep} is the shortcuts, so comparing the two measures what they bring. With {@code squeeze} ({@link #SE}),
     * each block's second batch norm is followed by {@link SqueezeExcite} before the shortcut is added (SE-ResNet's
     * place for it), which adds 22 K parameters.
     */
    public static ComputationGraph residualNet(ModelMeta meta, long seed, ISchedule learningRate, double weightDecay, CNN2DFormat layout,
            boolean squeeze) {
        ComputationGraphConfiguration.GraphBuilder g = base(seed, learningRate, weightDecay).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(meta.size(), meta.size(), 3, layout));
        g.addLayer("stem", new ConvolutionLayer.Builder(5, 5).stride(2, 2).nOut(32).activation(Activation.IDENTITY).hasBias(false).dataFormat(layout).build(), "in");
        String x = bnRelu(g, "stem");
        int in = 32;
        int[] widths = {64, 128, 256};
        for (int i = 0; i < widths.length; i++) {
            String s = "s" + (i + 1);
            g.addLayer(s + "pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).dataFormat(layout).build(), x);
            x = s + "pool";
            g.addLayer(s + "a", conv(3, widths[i], layout), x);
            String a = bnRelu(g, s + "a");
            g.addLayer(s + "b", conv(3, widths[i], layout), a);
            g.addLayer(s + "b-bn", new BatchNormalization.Builder().build(), s + "b");
            String branch = s + "b-bn";
            if (squeeze) {
                g.addLayer(s + "se", new SqueezeExcite.Builder().build(), branch);
                branch = s + "se";
            }
            String shortcut = x;
            if (in != widths[i]) {
                g.addLayer(s + "proj", conv(1, widths[i], layout), x);
                g.addLayer(s + "proj-bn", new BatchNormalization.Builder().build(), s + "proj");
                shortcut = s + "proj-bn";
            }
            g.addVertex(s + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), branch, shortcut);
            g.addLayer(s + "relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), s + "add");
            x = s + "relu";
            in = widths[i];
        }
        return withHead(g, x, meta);
    }

    private static NeuralNetConfiguration.Builder base(long seed, ISchedule learningRate, double weightDecay) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .l2(weightDecay)
                .convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cacheMode(CacheMode.DEVICE); // conv layers keep their forward output for backprop instead of recomputing it
    }

    private static ConvolutionLayer conv(int k, int width, CNN2DFormat layout) {
        return new ConvolutionLayer.Builder(k, k).nOut(width).activation(Activation.IDENTITY).hasBias(false).dataFormat(layout).build();
    }

    private static String bnRelu(ComputationGraphConfiguration.GraphBuilder g, String conv) {
        return bnAct(g, conv, Activation.RELU, "relu");
    }

    private static OutputLayer outputLayer(ModelMeta meta) {
        return meta.classification()
                ? new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(meta.labels().size()).build()
                : new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build();
    }

    /** The face network of the given shape ({@link #FACE}, {@link #WIDE} or {@link #DEEP}). */
    public static MultiLayerNetwork faceNet(ModelMeta meta, long seed, ISchedule learningRate, double weightDecay, CNN2DFormat layout,
                                            String width) {
        boolean wide = WIDE.equals(width);
        NeuralNetConfiguration.ListBuilder b = base(seed, learningRate, weightDecay).list();
        // stem: a strided 5x5 conv halves the resolution at once, where a CPU spends most of its time
        b.layer(new ConvolutionLayer.Builder(5, 5).stride(2, 2).nOut(wide ? 48 : 32).activation(Activation.IDENTITY).hasBias(false).dataFormat(layout).build());
        b.layer(new BatchNormalization.Builder().build());
        b.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        int[] widths = wide ? new int[] {96, 192, 320} : new int[] {64, 128, 256};
        for (int i = 0; i < widths.length; i++) {
            b.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).dataFormat(layout).build());
            convBlock(b, widths[i], layout);
            if (i == 1 || DEEP.equals(width)) {
                convBlock(b, widths[i], layout);
            }
        }
        b.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
        b.layer(new DropoutLayer.Builder(0.7).build()); // DL4J's value is the probability of keeping
        b.layer(outputLayer(meta));
        // batch norm and global pooling take their layout from the input type
        MultiLayerConfiguration conf = b.setInputType(InputType.convolutional(meta.size(), meta.size(), 3, layout)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * Transfer learning: a trained network's layers with a new output layer for this task (the old one is
     * dropped), fine-tuned with the given schedule; {@code freeze} keeps every layer but the output fixed.
     */
    public static MultiLayerNetwork fromBase(MultiLayerNetwork base, ModelMeta meta, long seed, ISchedule learningRate,
                                             double weightDecay, boolean freeze) {
        int last = base.getnLayers() - 1;
        long features = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) base.getLayerWiseConfigurations().getConf(last).getLayer()).getNIn();
        FineTuneConfiguration ft = fineTune(seed, learningRate, weightDecay);
        TransferLearning.Builder b = new TransferLearning.Builder(base).fineTuneConfiguration(ft).removeOutputLayer().addLayer(head(meta, features));
        if (freeze) {
            b.setFeatureExtractor(last - 1);
        }
        return b.build();
    }

    /**
     * A regressor that predicts through a classifier's labels: the classifier whole and frozen (its softmax output
     * becomes a hidden layer with the same weights), then one weight per label and a bias. A rating that follows
     * whom a face shows (a taste for characters) is then the probability-weighted mean of per-character ratings,
     * which a regression head on features has to learn again from fewer examples.
     */
    public static MultiLayerNetwork viaLabels(MultiLayerNetwork classifier, ModelMeta meta, long seed, ISchedule learningRate, double weightDecay) {
        int last = classifier.getnLayers() - 1;
        OutputLayer out = softmaxOutput(classifier.getLayerWiseConfigurations().getConf(last).getLayer(), meta);
        INDArray w = classifier.getLayer(last).getParam("W").dup(), bias = classifier.getLayer(last).getParam("b").dup();
        FineTuneConfiguration ft = fineTune(seed, learningRate, weightDecay);
        MultiLayerNetwork net = new TransferLearning.Builder(classifier).fineTuneConfiguration(ft).removeOutputLayer()
                .addLayer(labelsLayer(out))
                .addLayer(ratingLayer(out))
                .setFeatureExtractor(last)
                .build();
        net.getLayer(last).setParam("W", w);
        net.getLayer(last).setParam("b", bias);
        return net;
    }

    /** {@link #fromBase(MultiLayerNetwork, ModelMeta, long, ISchedule, double, boolean)} for a residual graph. */
    public static ComputationGraph fromBase(ComputationGraph base, ModelMeta meta, long seed, ISchedule learningRate,
                                            double weightDecay, boolean freeze) {
        if (Ensembles.members(base) > 0) {
            return Ensembles.fromBase(base, head(meta, Ensembles.featureWidth(base)), fineTune(seed, learningRate, weightDecay), freeze);
        }
        String out = base.getConfiguration().getNetworkOutputs().get(0), features = base.getConfiguration().getVertexInputs().get(out).get(0);
        long width = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) base.getLayer(out).conf().getLayer()).getNIn();
        FineTuneConfiguration ft = fineTune(seed, learningRate, weightDecay);
        TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(base).fineTuneConfiguration(ft)
                .removeVertexAndConnections(out).addLayer(out, head(meta, width), features).setOutputs(out);
        if (freeze) {
            b.setFeatureExtractor(features);
        }
        return b.build();
    }

    /** {@link #viaLabels(MultiLayerNetwork, ModelMeta, long, ISchedule, double)} for a residual graph. */
    public static ComputationGraph viaLabels(ComputationGraph classifier, ModelMeta meta, long seed, ISchedule learningRate, double weightDecay) {
        if (Ensembles.members(classifier) > 0) {
            if (meta.classification()) {
                throw new IllegalArgumentException("predicting through labels is for regressors");
            }
            long labels = outputs(classifier);
            return Ensembles.viaLabels(classifier, new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nIn(labels).nOut(1)
                    .weightInit(WeightInit.XAVIER).build(), fineTune(seed, learningRate, weightDecay));
        }
        String last = classifier.getConfiguration().getNetworkOutputs().get(0), features = classifier.getConfiguration().getVertexInputs().get(last).get(0);
        OutputLayer out = softmaxOutput(classifier.getLayer(last).conf().getLayer(), meta);
        INDArray w = classifier.getLayer(last).getParam("W").dup(), bias = classifier.getLayer(last).getParam("b").dup();
        FineTuneConfiguration ft = fineTune(seed, learningRate, weightDecay);
        String labels = "labels", rating = "rating";
        ComputationGraph net = new TransferLearning.GraphBuilder(classifier).fineTuneConfiguration(ft).removeVertexAndConnections(last)
                .addLayer(labels, labelsLayer(out), features)
                .addLayer(rating, ratingLayer(out), labels)
                .setOutputs(rating)
                .setFeatureExtractor(labels)
                .build();
        net.getLayer(labels).setParam("W", w);
        net.getLayer(labels).setParam("b", bias);
        return net;
    }

    /** The contrastive pretraining head's layer names (graphs) and widths (SimCLR's: a hidden layer, then 128). */
    static final String PROJECTION = "projection";
    public static final int PROJECTION_WIDTH = 256, EMBEDDING = 128;

    /**
     * A network for contrastive pretraining ({@link NtXentLoss}): {@code base}'s layers up to its pooled features,
     * then a projection (dense, ReLU) and {@link #EMBEDDING} linear outputs. The projection is dropped again when the
     * base is kept ({@link #withoutProjection}): SimCLR found the features before it transfer better.
     */
    public static Model contrastive(Model base, long seed, ISchedule learningRate, double weightDecay) {
        org.deeplearning4j.nn.conf.layers.DenseLayer projection = new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                .nOut(PROJECTION_WIDTH).activation(Activation.RELU).weightInit(WeightInit.RELU).build();
        OutputLayer embedding = new OutputLayer.Builder(new NtXentLoss()).activation(Activation.IDENTITY).nIn(PROJECTION_WIDTH).nOut(EMBEDDING)
                .weightInit(WeightInit.XAVIER).build();
        FineTuneConfiguration ft = fineTune(seed, learningRate, weightDecay);
        if (base instanceof MultiLayerNetwork layers) {
            int last = layers.getnLayers() - 1;
            projection.setNIn(((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layers.getLayerWiseConfigurations().getConf(last).getLayer()).getNIn());
            return new TransferLearning.Builder(layers).fineTuneConfiguration(ft).removeOutputLayer().addLayer(projection).addLayer(embedding).build();
        }
        ComputationGraph g = graph(base);
        String out = g.getConfiguration().getNetworkOutputs().get(0), features = g.getConfiguration().getVertexInputs().get(out).get(0);
        projection.setNIn(((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) g.getLayer(out).conf().getLayer()).getNIn());
        return new TransferLearning.GraphBuilder(g).fineTuneConfiguration(ft).removeVertexAndConnections(out)
                .addLayer(PROJECTION, projection, features).addLayer(out, embedding, PROJECTION).setOutputs(out).build();
    }

    /**
     * A pretrained base as a file {@code --init} takes: the contrastive network without its projection, ending in a
     * placeholder output (one linear value) that fine-tuning replaces with its own head.
     */
    public static Model withoutProjection(Model contrastive) {
        OutputLayer placeholder = new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nIn(PROJECTION_WIDTH).nOut(1).build();
        FineTuneConfiguration keep = new FineTuneConfiguration.Builder().build(); // changes nothing of the kept layers
        if (contrastive instanceof MultiLayerNetwork layers) {
            int last = layers.getnLayers() - 1;
            placeholder.setNIn(((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layers.getLayerWiseConfigurations().getConf(last - 1).getLayer()).getNIn());
            return new TransferLearning.Builder(layers).fineTuneConfiguration(keep).removeLayersFromOutput(2).addLayer(placeholder).build();
        }
        ComputationGraph g = graph(contrastive);
        String out = g.getConfiguration().getNetworkOutputs().get(0), features = g.getConfiguration().getVertexInputs().get(PROJECTION).get(0);
        placeholder.setNIn(((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) g.getLayer(PROJECTION).conf().getLayer()).getNIn());
        return new TransferLearning.GraphBuilder(g).fineTuneConfiguration(keep).removeVertexAndConnections(out).removeVertexAndConnections(PROJECTION)
                .addLayer(out, placeholder, features).setOutputs(out).build();
    }

    /** Adam on the given schedule with the run's weight decay, for every layer a transfer keeps or adds. */
    private static FineTuneConfiguration fineTune(long seed, ISchedule learningRate, double weightDecay) {
        return new FineTuneConfiguration.Builder().seed(seed).updater(new Adam(learningRate)).l2(weightDecay).build();
    }

    /** A new output layer for the task on {@code nIn} features. */
    private static OutputLayer head(ModelMeta meta, long nIn) {
        return meta.classification()
                ? new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(nIn).nOut(meta.labels().size()).weightInit(WeightInit.XAVIER).build()
                : new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nIn(nIn).nOut(1).weightInit(WeightInit.XAVIER).build();
    }

    /** The classifier's softmax output layer, refusing anything else or a classification task (predicting through labels). */
    private static OutputLayer softmaxOutput(org.deeplearning4j.nn.conf.layers.Layer last, ModelMeta meta) {
        if (!(last instanceof OutputLayer out) || !(out.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationSoftmax)) {
            throw new IllegalArgumentException("predicting through labels needs a classifier (softmax output) to start from");
        }
        if (meta.classification()) {
            throw new IllegalArgumentException("predicting through labels is for regressors");
        }
        return out;
    }

    /** The classifier's output as a hidden layer of the same shape (its weights are copied in after building). */
    private static org.deeplearning4j.nn.conf.layers.DenseLayer labelsLayer(OutputLayer out) {
        return new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(out.getNIn()).nOut(out.getNOut()).activation(Activation.SOFTMAX).build();
    }

    /** One rating weight per label and a bias. */
    private static OutputLayer ratingLayer(OutputLayer out) {
        return new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nIn(out.getNOut()).nOut(1).weightInit(WeightInit.XAVIER).build();
    }

    /**
     * Makes a network train as fast as DL4J can here: conv layers keep their forward output for backprop
     * instead of running the convolution again (networks loaded from older files have this off), and the
     * convolutions the input pictures go into compute no gradient for them ({@link InputConvolution}): so the
     * network must not be one whose input gradient is wanted.
     */
    public static MultiLayerNetwork forTraining(MultiLayerNetwork net) {
        forTraining((Model) net);
        return net;
    }

    /** The same for a network of either kind. */
    public static Model forTraining(Model net) {
        if (net instanceof MultiLayerNetwork m) {
            m.setCacheMode(CacheMode.DEVICE);
        } else {
            graph(net).setCacheMode(CacheMode.DEVICE);
        }
        InputConvolution.install(net);
        return net;
    }

    /** A copy of a network of either kind (weights, configuration and updater state). */
    @SuppressWarnings("unchecked")
    public static <N extends Model> N copy(N net) {
        return (N) (net instanceof MultiLayerNetwork m ? m.clone() : graph(net).clone());
    }

    /** Training steps the network has taken (DL4J counts them in its configuration). */
    public static int iterations(Model net) {
        return net instanceof MultiLayerNetwork m ? m.getIterationCount() : graph(net).getIterationCount();
    }

    /**
     * Sets the learning-rate schedule of a network of either kind, keeping its updater's state: a resumed run follows
     * the schedule of the options it was resumed with (more epochs, or averaged ones at the end), not the saved one.
     */
    public static void learningRate(Model net, ISchedule schedule) {
        if (net instanceof MultiLayerNetwork m) {
            m.setLearningRate(schedule);
        } else {
            graph(net).setLearningRate(schedule);
        }
    }

    /** Counts a finished epoch (DL4J's per-epoch schedules read it). */
    public static void epochDone(Model net) {
        if (net instanceof MultiLayerNetwork m) {
            m.incrementEpochCount();
        } else {
            graph(net).incrementEpochCount();
        }
    }

    /** How many values the network's output layer gives (labels of a classifier, 1 for a regressor). */
    public static long outputs(Model net) {
        org.deeplearning4j.nn.conf.layers.Layer out = net instanceof MultiLayerNetwork m
                ? m.getLayerWiseConfigurations().getConf(m.getnLayers() - 1).getLayer()
                : ((org.deeplearning4j.nn.conf.graph.LayerVertex) graph(net).getConfiguration().getVertices()
                        .get(graph(net).getConfiguration().getNetworkOutputs().get(0))).getLayerConf().getLayer();
        return ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) out).getNOut();
    }

    /**
     * Divides a classifier's logits by {@code temperature}, in place: its output layer's weights and bias, so that its
     * softmax gives {@code softmax(z / T)} (temperature scaling) at no cost when scoring.
     *
     * @throws IllegalArgumentException when the output layer is not a softmax
     */
    public static void divideLogits(Model net, double temperature) {
        org.deeplearning4j.nn.api.Layer out = net instanceof MultiLayerNetwork m ? m.getLayer(m.getnLayers() - 1)
                : graph(net).getLayer(graph(net).getConfiguration().getNetworkOutputs().get(0));
        if (!(out.conf().getLayer() instanceof OutputLayer o) || !(o.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationSoftmax)) {
            throw new IllegalArgumentException("the network's output is not a softmax layer");
        }
        out.getParam("W").divi(temperature); // views into the network's parameters
        out.getParam("b").divi(temperature);
    }

    private static ComputationGraph graph(Model net) {
        if (net instanceof ComputationGraph g) {
            return g;
        }
        throw new IllegalArgumentException("not a layer network nor a graph: " + net.getClass().getName());
    }

    /**
     * A regressor that also learns from pairs: its output layer's loss becomes {@link RankingLoss} with this
     * weight (DL4J layers read their loss from the configuration on every step).
     */
    public static MultiLayerNetwork withRankingLoss(MultiLayerNetwork net, double weight) {
        org.deeplearning4j.nn.conf.layers.Layer out = net.getLayerWiseConfigurations().getConf(net.getnLayers() - 1).getLayer();
        if (!(out instanceof OutputLayer o) || o.getNOut() != 1) {
            throw new IllegalArgumentException("a ranking loss is for regressors (one output), not " + out);
        }
        o.setLossFn(new RankingLoss(weight));
        return net;
    }

    /**
     * Loads a layer network file (a graph network is refused: detectors, generators and viz:input take layer
     * networks). The thread's context class loader is this bundle's meanwhile: DL4J finds the classes a
     * configuration names (Konomi's own losses) through it, and ND4J its backend (initialised first for that).
     */
    public static MultiLayerNetwork restore(java.io.File zip, boolean updater) throws java.io.IOException {
        if (restoreModel(zip, updater) instanceof MultiLayerNetwork m) {
            return m;
        }
        throw new java.io.IOException("is a graph network (--net res); this takes a layer network");
    }

    /** Loads a network file of either kind: a {@link MultiLayerNetwork} or a {@link ComputationGraph}. */
    public static Model restoreModel(java.io.File zip, boolean updater) throws java.io.IOException {
        if (!updater) {
            return restoreForUse(zip);
        }
        org.nd4j.linalg.factory.Nd4j.getBackend();
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(Nets.class.getClassLoader());
        try {
            return isGraph(zip) ? org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(zip, true)
                    : org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(zip, true);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static boolean isGraph(java.io.File zip) throws java.io.IOException {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip)) {
            java.util.zip.ZipEntry c = z.getEntry("configuration.json");
            if (c == null) {
                throw new java.io.IOException("not a DL4J network (configuration.json missing)");
            }
            return isGraph(new String(z.getInputStream(c).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** A graph's configuration lists its vertices; a layer network's, its confs (what DL4J's ModelGuesser looks for too). */
    private static boolean isGraph(String json) {
        return json.contains("\"vertices\"") && !json.contains("\"confs\"");
    }

    /**
     * The same without the updater state, from the same two entries ModelSerializer reads, with the weights read
     * on a second thread while the configuration is parsed (~0.15 and ~0.4 s of the first network a command loads,
     * which a one-shot score:run waits for before its first batch).
     */
    private static Model restoreForUse(java.io.File zip) throws java.io.IOException {
        org.nd4j.linalg.factory.Nd4j.getBackend(); // before the class loader switch: ND4J finds its backend through the launcher's
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(Nets.class.getClassLoader()); // Konomi's own losses are named in the configuration
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip)) {
            java.util.zip.ZipEntry c = z.getEntry("configuration.json"), w = z.getEntry("coefficients.bin");
            if (c == null || w == null) {
                throw new java.io.IOException("not a DL4J network (configuration.json or coefficients.bin missing)");
            }
            byte[] weights = z.getInputStream(w).readAllBytes();
            java.util.concurrent.FutureTask<org.nd4j.linalg.api.ndarray.INDArray> params = new java.util.concurrent.FutureTask<>(() -> {
                try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(weights))) {
                    return org.nd4j.linalg.factory.Nd4j.read(in);
                }
            });
            Thread reader = new Thread(params, "konomi-weights");
            reader.setDaemon(true);
            reader.start();
            String json = new String(z.getInputStream(c).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (isGraph(json)) {
                ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
                g.init(params.get(), false);
                return g.params().dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT ? g : g.convertDataType(org.nd4j.linalg.api.buffer.DataType.FLOAT);
            }
            MultiLayerNetwork net = new MultiLayerNetwork(org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(json));
            net.init(params.get(), false);
            // a network stored at half precision (Ensembles.halfPrecision) computes in single precision as all others do
            return net.params().dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT ? net : net.convertDataType(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while loading " + zip);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.io.IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new java.io.IOException(e.getCause());
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /** Whether a network takes channels-last (NHWC) input: its first layer's layout. */
    public static boolean channelsLast(MultiLayerNetwork net) {
        return channelsLast(net.getLayerWiseConfigurations().getConf(0).getLayer());
    }

    /** The same for a network of either kind (a graph's first conv layer after its input). */
    public static boolean channelsLast(Model net) {
        if (net instanceof MultiLayerNetwork m) {
            return channelsLast(m);
        }
        for (org.deeplearning4j.nn.conf.graph.GraphVertex v : graph(net).getConfiguration().getVertices().values()) {
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex l && l.getLayerConf().getLayer() instanceof ConvolutionLayer) {
                return channelsLast(l.getLayerConf().getLayer()); // all convs of a Konomi network share one layout
            }
        }
        return false;
    }

    private static boolean channelsLast(org.deeplearning4j.nn.conf.layers.Layer first) {
        while (first instanceof BaseWrapperLayer w) { // frozen layers of a fine-tuned network
            first = w.getUnderlying();
        }
        if (first instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer f) {
            first = f.getLayer();
        }
        return first instanceof ConvolutionLayer c && c.getCnn2dDataFormat() == CNN2DFormat.NHWC;
    }

    /**
     * The network's outputs for a batch, averaged with those for its mirror image when {@code flip} (the
     * test-time augmentation a model's {@link ModelMeta#tta} names). Not thread-safe: callers hold the network.
     */
    public static INDArray output(Model net, INDArray nchw, boolean flip) {
        INDArray x = input(net, nchw);
        try {
            return outputInLayout(net, x, flip);
        } finally {
            if (x != nchw) {
                NativeMemory.close(x);
            }
        }
    }

    /** The same for a batch already in the layout the network takes ({@link Tensors#batch(java.util.List, int, boolean)}). */
    public static INDArray outputInLayout(Model net, INDArray x, boolean flip) {
        INDArray y = output(net, x);
        if (!flip) {
            return y;
        }
        INDArray m = Tensors.mirrored(x, channelsLast(net));
        try {
            INDArray ym = output(net, m);
            y.addi(ym).muli(0.5);
            NativeMemory.close(ym);
            return y;
        } finally {
            NativeMemory.close(m);
        }
    }

    /** The inference output of a network of either kind for a batch in its layout. */
    public static INDArray output(Model net, INDArray x) {
        return net instanceof MultiLayerNetwork m ? m.output(x, false) : graph(net).outputSingle(false, x);
    }

    /**
     * The global average pooling's output (the penultimate features) for a batch in the network's layout: what
     * FID and KID compare. Refuses a network without one.
     */
    public static INDArray features(Model net, INDArray x) {
        String pool = poolingLayer(net);
        if (net instanceof MultiLayerNetwork m) {
            int layer = Integer.parseInt(pool);
            return m.feedForwardToLayer(layer, x, false).get(layer + 1);
        }
        return graph(net).feedForward(new INDArray[] {x}, false, false).get(pool);
    }

    /** The global pooling layer's index (a layer network) or name (a graph); refuses a network without one. */
    public static String poolingLayer(Model net) {
        if (net instanceof MultiLayerNetwork m) {
            for (int i = 0; i < m.getnLayers(); i++) {
                if (m.getLayerWiseConfigurations().getConf(i).getLayer() instanceof GlobalPoolingLayer) {
                    return Integer.toString(i);
                }
            }
        } else {
            for (java.util.Map.Entry<String, org.deeplearning4j.nn.conf.graph.GraphVertex> e : graph(net).getConfiguration().getVertices().entrySet()) {
                if (e.getValue() instanceof org.deeplearning4j.nn.conf.graph.LayerVertex l && l.getLayerConf().getLayer() instanceof GlobalPoolingLayer) {
                    return e.getKey();
                }
            }
        }
        throw new IllegalArgumentException("the network has no global pooling layer");
    }

    /** An NCHW batch in the layout {@code net} takes (a copy when that is NHWC). */
    public static INDArray input(Model net, INDArray nchw) {
        return channelsLast(net) ? Tensors.channelsLast(nchw) : nchw;
    }

    /**
     * Conv, batch norm, ReLU as three layers. The ReLU is its own layer on purpose: ConvolutionLayer applies
     * its activation's derivative to NHWC arrays viewed as NCHW (strided, slow) and hands oneDNN a gradient
     * it must reorder; an ActivationLayer works on the contiguous arrays (bench:nets --relu).
     */
    private static void convBlock(NeuralNetConfiguration.ListBuilder b, int width, CNN2DFormat layout) {
        b.layer(conv(3, width, layout));
        b.layer(new BatchNormalization.Builder().build());
        b.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
    }
}
