package konomi.gen.gan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
import konomi.nn.gan.Checkpoints;
import konomi.nn.gan.DiffAugment;
import konomi.nn.gan.FaceSet;
import konomi.nn.gan.GanNets;
import konomi.nn.gan.GanStep;
import konomi.nn.gan.Samples;
import konomi.nn.gan.SpectralNorm;
import konomi.nn.WeightAverage;
import konomi.util.AtomicFile;

/**
 * One GAN training into an output folder. Each epoch ends with a checkpoint (both networks with their Adam state and
 * the weight average, in {@code checkpoint/epoch-NNN/}, made current by rewriting {@code checkpoint/state.json}
 * atomically), a sample grid from fixed latents, the quality figures and the report, so a killed run loses at most the
 * epoch it was in and resumes from the last one. {@code model.zip} is the averaged generator of the epoch with the
 * lowest FID (the last epoch when nothing is measured).
 */
final class GanRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int GRID = 64;

    private final List<Path> datasets;
    private final Path out;
    private final GenTrainOptions o;
    private final GenTrainListener listener;
    private final QualitySource quality;

    /** Supplies the quality measurer once the faces are loaded (feature network and cascade come from services). */
    interface QualitySource {
        Quality create(FaceSet faces, GenTrainOptions options, GenTrainListener listener);
    }

    GanRun(List<Path> datasets, Path out, GenTrainOptions options, GenTrainListener listener, QualitySource quality) {
        this.datasets = datasets;
        this.out = out;
        this.o = options;
        this.listener = listener;
        this.quality = quality;
    }

    GenTrainResult run() throws IOException {
        FaceSet faces = FaceSet.load(datasets, GanNets.SIZE, o.limit(), o.seed(), listener::message);
        if (faces.count() < o.batch()) {
            throw new KonomiException(datasets + ": " + faces.count() + " faces, fewer than one batch of " + o.batch());
        }
        Files.createDirectories(out.resolve("samples"));
        Path ckpt = out.resolve("checkpoint");
        boolean hinge = o.loss().equals(GenTrainOptions.HINGE);
        double beta1 = hinge ? 0.0 : 0.5; // the papers' Adam settings for each loss
        MultiLayerNetwork g, d, avg;
        int start = 1, iteration = 0;
        List<GenEpoch> history = new ArrayList<>();
        JsonNode state = o.resume() ? Checkpoints.state(ckpt) : null;
        if (state != null) {
            Path dir = Checkpoints.dir(ckpt, state);
            checkSameRecipe(state.path("options"), ckpt.resolve("state.json"));
            g = Checkpoints.load(ckpt, state, "generator");
            d = Checkpoints.load(ckpt, state, "discriminator");
            avg = Checkpoints.load(ckpt, state, "average");
            start = state.path("epoch").asInt() + 1;
            iteration = state.path("iteration").asInt();
            for (JsonNode e : state.path("history")) {
                history.add(JSON.treeToValue(e, GenEpoch.class));
            }
            listener.message("resumed from " + dir + " (epoch " + (start - 1) + ")");
        } else {
            g = GanNets.generator(o.latent(), o.width(), o.learningRate(), beta1, o.seed());
            d = GanNets.discriminator(o.width(), !o.spectralNorm(), o.learningRate(), beta1, o.seed() + 1);
            avg = g.clone();
        }
        listener.message(String.format(java.util.Locale.ROOT, "generator %,d parameters, discriminator %,d; %s loss%s%s%s",
                g.numParams(), d.numParams(), o.loss(), o.spectralNorm() ? ", spectral norm" : "", o.augment() ? ", DiffAugment" : "",
                o.ema() > 0 ? ", EMA " + o.ema() : ""));
        Quality q = o.evalSamples() > 0 ? quality.create(faces, o, listener) : null;
        INDArray fixed = gridNoise(o.seed(), o.latent());
        int steps = faces.count() / o.batch();
        for (int epoch = start; epoch <= o.epochs(); epoch++) {
            long t0 = System.nanoTime();
            Nd4j.getRandom().setSeed(o.seed() * 1_000_003L + epoch); // each epoch's noise depends on the epoch only: resuming repeats it
            GanStep step = new GanStep(g, d, hinge ? GanStep.Loss.HINGE : GanStep.Loss.DCGAN,
                    o.spectralNorm() ? new SpectralNorm(d, o.seed() + epoch) : null,
                    o.augment() ? new DiffAugment(o.seed() + epoch) : null,
                    o.ema() > 0 ? new WeightAverage<>(avg, o.ema(), false) : null, iteration);
            int[] order = shuffled(faces.count(), new Random(o.seed() + epoch));
            double dSum = 0, gSum = 0;
            for (int s = 0; s < steps; s++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new KonomiException("training interrupted in epoch " + epoch + "; the same command resumes from epoch " + (epoch - 1));
                }
                INDArray real = faces.batch(order, s * o.batch(), (s + 1) * o.batch());
                GanStep.Losses l = step.step(real, epoch);
                NativeMemory.close(real);
                if (!Double.isFinite(l.discriminator()) || !Double.isFinite(l.generator())) {
                    throw new KonomiException("training diverged in epoch " + epoch + " (loss " + l.discriminator() + "/" + l.generator()
                            + "); try a lower --lr, or resume from the last checkpoint");
                }
                dSum += l.discriminator();
                gSum += l.generator();
            }
            iteration = step.iteration();
            MultiLayerNetwork shown = o.ema() > 0 ? avg : g;
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            AtomicFile.write(out.resolve("samples").resolve(String.format("epoch-%03d.png", epoch)),
                    Images.png(Images.grid(Samples.images(shown.output(fixed, false), "grid"), 8)));
            Quality.Figures f = q != null && (epoch % o.evalEvery() == 0 || epoch == o.epochs())
                    ? q.measure(samples(shown, o.evalSamples(), o.seed() + 7_777 * epoch), o.seed() + epoch)
                    : new Quality.Figures(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            double seconds = (System.nanoTime() - t0) / 1e9;
            GenEpoch e = new GenEpoch(epoch, o.epochs(), dSum / steps, gSum / steps, f.asMap(),
                    steps * (double) o.batch() / trainSeconds, seconds, seconds * (o.epochs() - epoch));
            history.add(e);
            if (isBest(history, e)) {
                Checkpoints.writeModel(out.resolve("model.zip"), shown, false);
            }
            ObjectNode st = JSON.createObjectNode();
            st.put("iteration", iteration);
            st.set("options", JSON.valueToTree(o));
            st.set("history", JSON.valueToTree(history));
            Checkpoints.save(ckpt, epoch, java.util.Map.of("generator", g, "discriminator", d, "average", avg), st);
            GanReport.write(out, o, faces.count(), history, q == null ? Double.NaN : q.realFaceness(), q == null ? Double.NaN : q.realFramed());
            listener.epoch(e);
        }
        if (!Files.exists(out.resolve("model.zip"))) { // resumed after the last epoch: nothing left to train
            Checkpoints.writeModel(out.resolve("model.zip"), o.ema() > 0 ? avg : g, false);
        }
        writeModelJson(history);
        return new GenTrainResult(history, out.resolve("model.zip"), out.resolve("report.html"), out.resolve("metrics.json"));
    }

    /** Lowest FID so far wins; epochs without a figure only win while none has one. */
    private static boolean isBest(List<GenEpoch> history, GenEpoch e) {
        boolean anyMeasured = history.stream().anyMatch(h -> Double.isFinite(h.figure("fid")));
        if (!anyMeasured) {
            return true;
        }
        double fid = e.figure("fid");
        return Double.isFinite(fid) && history.stream().filter(h -> Double.isFinite(h.figure("fid"))).allMatch(h -> h.figure("fid") >= fid);
    }

    /** {@code n} samples of the network as it is now, drawn exactly as the shipped generator will draw them. */
    static List<Image> samples(MultiLayerNetwork g, int n, long seed) {
        return new GanGenerator("sample", GanNets.latent(g), () -> g).generate(n, seed);
    }

    static INDArray gridNoise(long seed, int latent) {
        return GanGenerator.latentBatch(GanGenerator.latents(GRID, seed, latent), 0, GRID);
    }

    private static int[] shuffled(int n, Random r) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private void checkSameRecipe(JsonNode saved, Path state) {
        for (String k : List.of("loss", "spectralNorm", "width", "latent")) {
            String now = JSON.valueToTree(o).path(k).asText();
            if (!saved.path(k).asText().equals(now)) {
                throw new KonomiException(state + ": the checkpoint was trained with " + k + "=" + saved.path(k).asText() + ", not " + now
                        + "; use the same options, or --fresh to start over");
            }
        }
    }

    private void writeModelJson(List<GenEpoch> history) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "gan");
        m.put("size", GanNets.SIZE);
        m.put("latent", o.latent());
        m.put("options", o);
        m.put("trainedOn", datasets.stream().map(Path::toString).toList());
        m.put("epochs", history.size());
        AtomicFile.writeString(out.resolve("model.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
    }
}
