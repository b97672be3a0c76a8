package konomi.gen.cae;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.gen.GenEpoch;
import konomi.api.gen.GenTrainListener;
import konomi.api.gen.GenTrainOptions;
import konomi.api.gen.GenTrainResult;
import konomi.imaging.Images;
import konomi.nn.NativeMemory;
import konomi.nn.Nets;
import konomi.nn.Tensors;
import konomi.nn.gan.Checkpoints;
import konomi.nn.gan.FaceSet;
import konomi.nn.gan.GanNets;
import konomi.nn.gan.Samples;
import konomi.util.AtomicFile;
import konomi.util.Text;

/**
 * One autoencoder training. The faces are split by seed into training (90%) and validation (10%) parts; after each
 * epoch the validation faces give the reconstruction L1 (mean absolute error in 0-1 pixel values) and, redrawn as a
 * random other label, how often the judge (the installed classifier named by {@code features}) agrees with the label
 * asked for. Checkpoints (all four networks with their Adam state) and resume work as in GAN training; {@code model.zip}
 * holds the encoder and decoder of the epoch with the highest agreement.
 */
final class CaeRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Weights of the two adversarial losses against the L1 reconstruction (measured: see README). */
    static final double CODE_WEIGHT = 0.01, IMAGE_WEIGHT = 0.05;

    /** A classifier that names the label of pictures (the judge of the redrawn faces). */
    record Judge(org.deeplearning4j.nn.api.Model net, int size, List<String> labels) {
        int[] top1(List<Image> faces) {
            int[] out = new int[faces.size()];
            for (int from = 0; from < faces.size(); from += 128) {
                List<Image> part = faces.subList(from, Math.min(faces.size(), from + 128));
                INDArray x = Nets.input(net, Tensors.batch(part, size)), y = Nets.output(net, x);
                INDArray arg = y.argMax(1);
                for (int i = 0; i < part.size(); i++) {
                    out[from + i] = arg.getInt(i);
                }
                NativeMemory.close(x);
                NativeMemory.close(y);
            }
            return out;
        }
    }

    private final List<Path> datasets;
    private final Path out;
    private final GenTrainOptions o;
    private final GenTrainListener listener;
    private final Judge judge; // may be null

    CaeRun(List<Path> datasets, Path out, GenTrainOptions options, GenTrainListener listener, Judge judge) {
        this.datasets = datasets;
        this.out = out;
        this.o = options;
        this.listener = listener;
        this.judge = judge;
    }

    GenTrainResult run() throws IOException {
        FaceSet faces = FaceSet.load(datasets, GanNets.SIZE, o.limit(), o.seed(), listener::message);
        List<String> labels = faces.labels();
        if (labels.size() < 2) {
            throw new KonomiException(datasets + ": an autoencoder needs faces in one subfolder per label (at least two); found "
                    + labels.size());
        }
        List<Integer> train = new ArrayList<>(), val = new ArrayList<>();
        Random split = new Random(o.seed());
        for (int i = 0; i < faces.count(); i++) {
            if (faces.label(i) >= 0) {
                (split.nextDouble() < 0.1 ? val : train).add(i);
            }
        }
        listener.message(labels.size() + " labels; split by seed " + o.seed() + ": " + train.size() + " training, " + val.size() + " validation faces");
        if (train.size() < o.batch() || val.isEmpty()) {
            throw new KonomiException(datasets + ": too few labelled faces for a batch of " + o.batch() + " and a validation part");
        }
        Files.createDirectories(out.resolve("samples"));
        Path ckpt = out.resolve("checkpoint");
        CaeNets nets;
        int start = 1, iteration = 0;
        List<GenEpoch> history = new ArrayList<>();
        JsonNode state = o.resume() ? Checkpoints.state(ckpt) : null;
        if (state != null) {
            Path dir = Checkpoints.dir(ckpt, state);
            if (state.path("latent").asInt() != o.latent() || state.path("width").asInt() != o.width() || !state.path("labels").toString().equals(JSON.valueToTree(labels).toString())) {
                throw new KonomiException(ckpt.resolve("state.json") + ": the checkpoint has other labels, width or latent; use the same, or --fresh");
            }
            nets = new CaeNets(Checkpoints.load(ckpt, state, "encoder"), Checkpoints.load(ckpt, state, "decoder"),
                    Checkpoints.load(ckpt, state, "code-d"), Checkpoints.load(ckpt, state, "image-d"), o.latent(), labels.size());
            start = state.path("epoch").asInt() + 1;
            iteration = state.path("iteration").asInt();
            for (JsonNode e : state.path("history")) {
                history.add(JSON.treeToValue(e, GenEpoch.class));
            }
            listener.message("resumed from " + dir + " (epoch " + (start - 1) + ")");
        } else {
            nets = CaeNets.create(o.width(), o.latent(), labels.size(), o.learningRate(), o.seed());
        }
        listener.message(String.format(Locale.ROOT, "encoder %,d + decoder %,d parameters; code %d, %d labels", nets.encoder.numParams(),
                nets.decoder.numParams(), o.latent(), labels.size()));
        int[] trainIdx = train.stream().mapToInt(Integer::intValue).toArray();
        int steps = trainIdx.length / o.batch();
        for (int epoch = start; epoch <= o.epochs(); epoch++) {
            long t0 = System.nanoTime();
            Nd4j.getRandom().setSeed(o.seed() * 1_000_003L + epoch);
            CaeStep step = new CaeStep(nets, o.seed() + epoch, CODE_WEIGHT, IMAGE_WEIGHT, iteration);
            int[] order = shuffled(trainIdx, new Random(o.seed() + epoch));
            double rec = 0, dLoss = 0, gLoss = 0;
            for (int s = 0; s < steps; s++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new KonomiException("training interrupted in epoch " + epoch + "; the same command resumes from epoch " + (epoch - 1));
                }
                INDArray x = faces.batch(order, s * o.batch(), (s + 1) * o.batch());
                int[] y = new int[o.batch()];
                for (int i = 0; i < y.length; i++) {
                    y[i] = faces.label(order[s * o.batch() + i]);
                }
                CaeStep.Losses l = step.step(x, y, epoch);
                NativeMemory.close(x);
                if (!Double.isFinite(l.reconstruction()) || !Double.isFinite(l.imageD())) {
                    throw new KonomiException("training diverged in epoch " + epoch + "; try a lower --lr, or resume from the last checkpoint");
                }
                rec += l.reconstruction();
                dLoss += l.imageD() + l.codeD();
                gLoss += l.imageG() + l.codeG();
            }
            iteration = step.iteration();
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            double[] figures = measure(nets, faces, val, labels, epoch);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Double> fig = new LinkedHashMap<>();
            fig.put("val_l1", figures[0]);
            fig.put("train_l1", rec / steps / 2); // in [-1, 1] units during training: halved to 0-1 pixels
            if (Double.isFinite(figures[1])) {
                fig.put("agreement", figures[1]);
                fig.put("kept", figures[2]);
            }
            GenEpoch e = new GenEpoch(epoch, o.epochs(), dLoss / steps, gLoss / steps, fig,
                    steps * (double) o.batch() / trainSeconds, seconds, seconds * (o.epochs() - epoch));
            history.add(e);
            // the best epoch redraws most faces as asked; without a judge, the one that reconstructs best
            boolean best = Double.isFinite(e.figure("agreement")) ? history.stream().allMatch(h -> !(h.figure("agreement") > e.figure("agreement")))
                    : history.stream().allMatch(h -> !(h.figure("val_l1") < e.figure("val_l1")));
            if (best || !Files.exists(out.resolve("model.zip"))) {
                CaeModel.write(out.resolve("model.zip"), nets.encoder, nets.decoder);
            }
            ObjectNode st = JSON.createObjectNode();
            st.put("iteration", iteration);
            st.put("latent", o.latent());
            st.put("width", o.width());
            st.set("labels", JSON.valueToTree(labels));
            st.set("history", JSON.valueToTree(history));
            Checkpoints.save(ckpt, epoch, Map.of("encoder", nets.encoder, "decoder", nets.decoder, "code-d", nets.codeD, "image-d", nets.imageD), st);
            report(history, labels, faces.count(), train.size(), val.size());
            listener.epoch(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "cae");
        m.put("size", GanNets.SIZE);
        m.put("latent", o.latent());
        m.put("labels", labels);
        m.put("options", o);
        AtomicFile.writeString(out.resolve("model.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
        return new GenTrainResult(history, out.resolve("model.zip"), out.resolve("report.html"), out.resolve("metrics.json"));
    }

    /** {validation L1 (0-1 pixels), agreement with the asked label, agreement of reconstructions with their own}. */
    private double[] measure(CaeNets nets, FaceSet faces, List<Integer> val, List<String> labels, int epoch) {
        int n = Math.min(val.size(), o.evalSamples() == 0 ? 256 : o.evalSamples());
        Random r = new Random(o.seed() + 31L * epoch);
        List<Image> originals = new ArrayList<>(), recon = new ArrayList<>(), moved = new ArrayList<>();
        int[] own = new int[n], target = new int[n];
        double l1 = 0;
        for (int from = 0; from < n; from += 64) {
            int m = Math.min(64, n - from);
            int[] idx = new int[m];
            for (int i = 0; i < m; i++) {
                idx[i] = val.get(from + i);
                own[from + i] = faces.label(idx[i]);
                int t = r.nextInt(labels.size() - 1);
                target[from + i] = t >= own[from + i] ? t + 1 : t;
            }
            INDArray x = faces.batch(idx, 0, m);
            INDArray z = nets.encoder.output(x, false);
            INDArray xr = nets.decoder.output(CaeNets.decoderInput(z, CaeNets.onehot(java.util.Arrays.copyOfRange(own, from, from + m), labels.size())), false);
            INDArray xt = nets.decoder.output(CaeNets.decoderInput(z, CaeNets.onehot(java.util.Arrays.copyOfRange(target, from, from + m), labels.size())), false);
            l1 += xr.sub(x).norm1Number().doubleValue() / 2 / x.length() * m;
            originals.addAll(Samples.images(x, "x"));
            recon.addAll(Samples.images(xr, "r"));
            moved.addAll(Samples.images(xt, "t"));
        }
        sampleGrid(nets, faces, val, labels, epoch);
        if (judge == null) {
            return new double[] {l1 / n, Double.NaN, Double.NaN};
        }
        int[] saysMoved = judge.top1(moved), saysRecon = judge.top1(recon);
        int agree = 0, keep = 0, counted = 0;
        for (int i = 0; i < n; i++) {
            int jt = judge.labels().indexOf(labels.get(target[i])), jo = judge.labels().indexOf(labels.get(own[i]));
            if (jt < 0 || jo < 0) {
                continue;
            }
            counted++;
            agree += saysMoved[i] == jt ? 1 : 0;
            keep += saysRecon[i] == jo ? 1 : 0;
        }
        return new double[] {l1 / n, counted == 0 ? Double.NaN : agree / (double) counted, counted == 0 ? Double.NaN : keep / (double) counted};
    }

    /** Eight validation faces a row: the face, its reconstruction, then the same face as six fixed labels. */
    private void sampleGrid(CaeNets nets, FaceSet faces, List<Integer> val, List<String> labels, int epoch) {
        List<Image> cells = new ArrayList<>();
        int rows = Math.min(8, val.size()), cols = Math.min(6, labels.size());
        for (int i = 0; i < rows; i++) {
            int idx = val.get(i * val.size() / rows);
            INDArray x = faces.batch(new int[] {idx}, 0, 1);
            INDArray z = nets.encoder.output(x, false);
            cells.add(faces.image(idx));
            int[] ls = new int[cols + 1];
            ls[0] = faces.label(idx);
            for (int c = 0; c < cols; c++) {
                ls[c + 1] = c * labels.size() / cols;
            }
            INDArray zs = z.repeat(0, cols + 1).reshape(cols + 1, z.size(1));
            cells.addAll(Samples.images(nets.decoder.output(CaeNets.decoderInput(zs, CaeNets.onehot(ls, labels.size())), false), "g"));
        }
        AtomicFile.write(out.resolve("samples").resolve(String.format("epoch-%03d.png", epoch)), Images.png(Images.grid(cells, cols + 2)));
    }

    private void report(List<GenEpoch> history, List<String> labels, int faces, int train, int val) throws IOException {
        StringBuilder csv = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(csv, CSVFormat.DEFAULT.builder().setHeader("epoch", "d_loss", "g_loss", "train_l1",
                "val_l1", "agreement", "kept", "images_per_s", "seconds").build())) {
            for (GenEpoch e : history) {
                p.printRecord(e.epoch(), f(e.discriminatorLoss()), f(e.generatorLoss()), f(e.figure("train_l1")), f(e.figure("val_l1")),
                        f(e.figure("agreement")), f(e.figure("kept")), f(e.imagesPerSecond()), f(e.seconds()));
            }
        }
        AtomicFile.writeString(out.resolve("train.csv"), csv);
        GenEpoch best = history.stream().filter(e -> Double.isFinite(e.figure("agreement")))
                .max((a, b) -> Double.compare(a.figure("agreement"), b.figure("agreement"))).orElse(history.get(history.size() - 1));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("faces", faces);
        m.put("split", Map.of("seed", o.seed(), "train", train, "validation", val));
        m.put("labels", labels);
        m.put("judge", o.features());
        m.put("shippedEpoch", best.epoch());
        m.put("validationL1", best.figure("val_l1"));
        m.put("agreement", best.figure("agreement"));
        m.put("kept", best.figure("kept"));
        m.put("options", o);
        AtomicFile.writeString(out.resolve("metrics.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
        StringBuilder h = new StringBuilder("<!doctype html><meta charset=utf-8><title>autoencoder training</title>")
                .append("<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 8px;text-align:right}</style>")
                .append("<h1>Conditional adversarial autoencoder</h1><p>").append(faces).append(" faces, ").append(labels.size())
                .append(" labels; seed ").append(o.seed()).append(": ").append(train).append(" training, ").append(val)
                .append(" validation. Agreement: how often ").append(Text.html(o.features()))
                .append(" names the label a validation face was redrawn as (a random other label); kept: how often it names a reconstruction's own label.")
                .append("</p><table><tr><th>epoch<th>train L1<th>val L1<th>agreement<th>kept<th>img/s");
        for (GenEpoch e : history) {
            h.append("<tr><td>").append(e.epoch()).append("<td>").append(f(e.figure("train_l1"))).append("<td>").append(f(e.figure("val_l1")))
                    .append("<td>").append(f(e.figure("agreement"))).append("<td>").append(f(e.figure("kept"))).append("<td>").append(f(e.imagesPerSecond()));
        }
        h.append("</table><h2>Validation faces: original, reconstruction, then as ").append(Text.html(String.join(", ",
                java.util.stream.IntStream.range(0, Math.min(6, labels.size())).mapToObj(c -> labels.get(c * labels.size() / Math.min(6, labels.size()))).toList())))
                .append("</h2>");
        for (int i = history.size() - 1; i >= 0; i--) {
            h.append("<figure><img src='samples/").append(String.format("epoch-%03d.png", history.get(i).epoch())).append("'><figcaption>epoch ")
                    .append(history.get(i).epoch()).append("</figcaption></figure>");
        }
        AtomicFile.writeString(out.resolve("report.html"), h);
    }

    private static String f(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "";
    }

    private static int[] shuffled(int[] items, Random r) {
        int[] a = items.clone();
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
