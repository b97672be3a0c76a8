package konomi.gen.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.gen.InputVisualiser;
import konomi.api.gen.VizOptions;
import konomi.api.gen.VizResult;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelRegistry;
import konomi.api.model.ModelStatus;
import konomi.imaging.Images;
import konomi.nn.FoldedNet;
import konomi.nn.InputGradient;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;

/**
 * Activation maximisation: starting from grey noise, gradient ascent on the picture raises the classifier's log
 * probability of one label, with the picture shifted at random before each step (jitter), blurred every few steps and
 * pulled towards grey (L2), so that what appears is what the network responds to rather than adversarial noise.
 */
@Component(service = InputVisualiser.class)
public class ActivationMaximiser implements InputVisualiser {
    @Reference
    private ModelRegistry models;

    @Override
    public VizResult visualise(String classifier, String label, VizOptions o) {
        ModelDescriptor d = models.models().stream().filter(s -> s.state() == ModelStatus.State.ACTIVE).map(ModelStatus::descriptor)
                .filter(x -> x != null && x.kind().equals("scorer") && x.name().equals(classifier)).reduce((a, b) -> b)
                .orElseThrow(() -> new KonomiException("no installed scorer named " + classifier + " (model:list shows them)"));
        if (!d.type().equals("classification")) {
            throw new KonomiException(classifier + " is a " + d.type() + " scorer; viz:input needs a classifier");
        }
        Map<String, String> header = new HashMap<>(d.attributes());
        header.put("input", d.input());
        ModelMeta meta = ModelMeta.fromHeader(d.type(), header);
        int cls = meta.labels().indexOf(label);
        if (cls < 0) {
            throw new KonomiException(classifier + " has no label " + label + "; its labels: " + String.join(", ", meta.labels()));
        }
        Path file = models.modelFile("scorer", classifier).orElseThrow(() -> new KonomiException(classifier + ": its model file is gone"));
        Model net;
        try {
            net = Nets.restoreModel(file.toFile(), false); // a layer network or a graph (InputGradient takes both)
        } catch (IOException | RuntimeException e) {
            throw new KonomiException(file + ": cannot load the network (" + e.getMessage() + ")");
        }
        boolean nhwc = Nets.channelsLast(net);
        int size = meta.size();
        Model folded = FoldedNet.fold(net, size, nhwc ? CNN2DFormat.NHWC : CNN2DFormat.NCHW);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 1, meta.labels().size());
        y.putScalar(0, cls, 1);
        Random r = new Random(o.seed());
        Nd4j.getRandom().setSeed(o.seed());
        INDArray x = Nd4j.randn(DataType.FLOAT, 1, 3, size, size).muli(0.05).addi(0.5);
        for (int step = 0; step < o.steps(); step++) {
            int dy = o.jitter() == 0 ? 0 : r.nextInt(2 * o.jitter() + 1) - o.jitter();
            int dx = o.jitter() == 0 ? 0 : r.nextInt(2 * o.jitter() + 1) - o.jitter();
            INDArray shifted = roll(x, dy, dx);
            // the gradient of the cross-entropy against the one-hot label: descending it raises log p(label)
            INDArray g = InputGradient.of(folded, Nets.input(folded, shifted), y);
            if (nhwc) {
                g = g.permute(0, 3, 1, 2).dup('c');
            }
            g = roll(g, -dy, -dx);
            double scale = g.std(true, 0, 1, 2, 3).getDouble(0) + 1e-8;
            x.subi(g.divi(scale).muli(o.learningRate()));
            x.subi(x.sub(0.5).muli(o.l2()));
            if (o.blurSigma() > 0 && (step + 1) % o.blurEvery() == 0) {
                x = blur(x, o.blurSigma());
            }
            x = org.nd4j.linalg.ops.transforms.Transforms.min(org.nd4j.linalg.ops.transforms.Transforms.max(x, 0.0, false), 1.0, false);
        }
        INDArray p = Nets.output(net, x, false);
        Image img = image(x, size);
        if (o.scale() > 1) {
            img = Images.resize(img, size * o.scale(), size * o.scale());
        }
        return new VizResult(img, label, p.getDouble(0, cls));
    }

    /** A [1, 3, h, w] picture shifted cyclically (nothing falls off, so the step can be undone exactly). */
    static INDArray roll(INDArray x, int dy, int dx) {
        INDArray out = x;
        if (dy != 0) {
            out = Nd4j.concat(2, out.get(all(), all(), interval(out.size(2) - floorMod(dy, out.size(2)), out.size(2)), all()),
                    out.get(all(), all(), interval(0, out.size(2) - floorMod(dy, out.size(2))), all()));
        }
        if (dx != 0) {
            out = Nd4j.concat(3, out.get(all(), all(), all(), interval(out.size(3) - floorMod(dx, out.size(3)), out.size(3))),
                    out.get(all(), all(), all(), interval(0, out.size(3) - floorMod(dx, out.size(3)))));
        }
        return out == x ? x.dup() : out;
    }

    private static long floorMod(int a, long n) {
        return Math.floorMod(a, n);
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex all() {
        return org.nd4j.linalg.indexing.NDArrayIndex.all();
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex interval(long a, long b) {
        return org.nd4j.linalg.indexing.NDArrayIndex.interval(a, b);
    }

    /** OpenCV's Gaussian blur on each colour plane, in float. */
    private static INDArray blur(INDArray x, double sigma) {
        int h = (int) x.size(2), w = (int) x.size(3);
        float[] data = x.dup('c').data().asFloat();
        int k = Math.max(3, 2 * (int) Math.ceil(3 * sigma) + 1);
        for (int c = 0; c < 3; c++) {
            try (Mat m = new Mat(h, w, opencv_core.CV_32FC1); Mat out = new Mat()) {
                java.nio.FloatBuffer fb = m.createBuffer();
                fb.put(data, c * h * w, h * w);
                opencv_imgproc.GaussianBlur(m, out, new Size(k, k), sigma);
                java.nio.FloatBuffer ob = out.createBuffer();
                ob.get(data, c * h * w, h * w);
            }
        }
        return Nd4j.create(data, new long[] {1, 3, h, w}, 'c');
    }

    private static Image image(INDArray x, int size) {
        float[] d = x.dup('c').data().asFloat();
        int plane = size * size;
        byte[] px = new byte[plane * 3];
        for (int i = 0; i < plane; i++) {
            px[i * 3] = (byte) Math.round(Math.max(0, Math.min(1, d[2 * plane + i])) * 255);
            px[i * 3 + 1] = (byte) Math.round(Math.max(0, Math.min(1, d[plane + i])) * 255);
            px[i * 3 + 2] = (byte) Math.round(Math.max(0, Math.min(1, d[i])) * 255);
        }
        return new Image("viz", size, size, 3, px);
    }
}
