package konomi.gen.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.schedule.FixedSchedule;

import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.gen.GenEpoch;
import konomi.api.gen.GenTrainListener;
import konomi.api.gen.GenTrainOptions;
import konomi.api.gen.GenTrainResult;
import konomi.api.gen.Generator;
import konomi.api.model.ModelDescriptor;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;
import konomi.nn.gan.FaceSet;
import konomi.nn.gan.GanNets;
import konomi.nn.gan.GanStep;
import konomi.nn.gan.SpectralNorm;

/** A real, tiny GAN training on real face patches: losses, samples, checkpoints and resume, the shipped generator. */
class GanTrainingTest {
    static final Path FACES = Path.of("../../../shared/data/anime_face_patches64/face");

    private static GenTrainOptions tiny(int epochs) {
        return new GenTrainOptions(epochs, 32, 2e-4, GenTrainOptions.HINGE, true, true, 0.9, 4, 16, 3, 32, 1, 64, true, "test");
    }

    private static GanRun.QualitySource randomFeatures() {
        // an untrained face network stands in for the character scorer: the figures' code path is the same
        MultiLayerNetwork net = Nets.faceNet(new ModelMeta("classification", List.of("a", "b"), 32, ModelMeta.RGB01, null), 1, new FixedSchedule(1e-3), 0);
        return (faces, o, l) -> new Quality(net, 32, null, faces, o.evalSamples(), o.seed());
    }

    private static GenTrainResult train(Path out, GenTrainOptions o, List<String> messages) throws Exception {
        return new GanRun(List.of(FACES), out, o, new GenTrainListener() {
            @Override
            public void epoch(GenEpoch e) {
            }

            @Override
            public void message(String text) {
                messages.add(text);
            }
        }, randomFeatures()).run();
    }

    @Test
    void theDiscriminatorLearnsToTellRealFromGenerated() {
        FaceSet faces = FaceSet.load(List.of(FACES), 64, 64, 1, m -> { });
        MultiLayerNetwork g = GanNets.generator(16, 8, 1e-3, 0, 1), d = GanNets.discriminator(8, false, 1e-3, 0, 2);
        GanStep step = new GanStep(g, d, GanStep.Loss.HINGE, new SpectralNorm(d, 1), null, null, 0);
        int[] order = java.util.stream.IntStream.range(0, 64).toArray();
        double first = step.step(faces.batch(order, 0, 32), 1).discriminator(), last = 0;
        for (int i = 1; i <= 20; i++) {
            double l = step.step(faces.batch(order, (i % 2) * 32, (i % 2) * 32 + 32), 1).discriminator();
            if (i > 10) {
                last += l / 10;
            }
        }
        assertTrue(first > 1.8 && last < first - 0.2, "hinge loss starts near 2 and falls as D learns: " + first + " -> " + last);
    }

    @Test
    void aShortTrainingWritesSamplesFiguresAndAGeneratorThatLoads(@TempDir Path out) throws Exception {
        List<String> messages = new ArrayList<>();
        GenTrainResult r = train(out, tiny(2), messages);
        assertEquals(2, r.epochs().size());
        assertTrue(messages.get(0).startsWith("64 faces from 1 folder(s)"), messages.toString());
        for (GenEpoch e : r.epochs()) {
            assertTrue(Double.isFinite(e.discriminatorLoss()) && Double.isFinite(e.generatorLoss()));
            assertTrue(e.figure("fid") > 0 && Double.isFinite(e.figure("kid")) && e.figure("diversity") > 0, e.toString());
            assertTrue(e.figure("copies") >= 0 && e.figure("copies") <= 1);
            assertTrue(Double.isNaN(e.figure("faceness")), "no cascade given: not measured");
        }
        byte[] s1 = Files.readAllBytes(out.resolve("samples/epoch-001.png")), s2 = Files.readAllBytes(out.resolve("samples/epoch-002.png"));
        assertFalse(Arrays.equals(s1, s2), "training changes what the same latents draw");
        for (String f : List.of("model.zip", "model.json", "train.csv", "metrics.json", "report.html", "checkpoint/state.json")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        assertEquals(3, Files.readAllLines(out.resolve("train.csv")).size());

        Generator gen = new GanGeneratorFactory().create(descriptor("16"), r.model());
        List<Image> a = gen.generate(3, 7), b = gen.generate(3, 7), c = gen.generate(3, 8);
        assertEquals(3, a.size());
        assertEquals(64, a.get(0).width());
        assertEquals(3, a.get(0).channels());
        assertArrayEquals(a.get(1).pixels(), b.get(1).pixels(), "same seed, same faces");
        assertFalse(Arrays.equals(a.get(0).pixels(), c.get(0).pixels()));
        List<Image> walk = gen.interpolate(7, 8, 5);
        assertEquals(5, walk.size());
        assertArrayEquals(a.get(0).pixels(), walk.get(0).pixels(), "a walk starts at the first face of its first seed");
        assertArrayEquals(c.get(0).pixels(), walk.get(4).pixels(), "and ends at the second's");
        int min = 255, max = 0;
        for (byte v : a.get(0).pixels()) {
            min = Math.min(min, v & 0xff);
            max = Math.max(max, v & 0xff);
        }
        assertTrue(max > min, "not a flat picture");
    }

    @Test
    void aStoppedTrainingResumesFromItsLastEpoch(@TempDir Path out) throws Exception {
        List<String> messages = new ArrayList<>();
        GenTrainResult one = train(out, tiny(1), messages);
        Thread.currentThread().interrupt(); // stopped in epoch 2
        KonomiException stopped = assertThrows(KonomiException.class, () -> train(out, tiny(2), new ArrayList<>()));
        assertTrue(Thread.interrupted());
        assertTrue(stopped.getMessage().contains("interrupted in epoch 2"), stopped.getMessage());
        List<String> again = new ArrayList<>();
        GenTrainResult two = train(out, tiny(2), again);
        assertTrue(again.stream().anyMatch(m -> m.startsWith("resumed from") && m.endsWith("(epoch 1)")), again.toString());
        assertEquals(2, two.epochs().size());
        assertEquals(one.epochs().get(0), two.epochs().get(0), "epoch 1 is kept, not trained again");
        KonomiException other = assertThrows(KonomiException.class, () -> train(out, new GenTrainOptions(3, 32, 2e-4, GenTrainOptions.DCGAN,
                false, true, 0.9, 4, 16, 3, 32, 1, 64, true, "test"), new ArrayList<>()));
        assertTrue(other.getMessage().contains("state.json: the checkpoint was trained with loss=hinge, not dcgan"), other.getMessage());
    }

    @Test
    void brokenGeneratorModelsAreRefusedWithTheReason(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.zip"), "not a zip");
        assertTrue(assertThrows(KonomiException.class, () -> new GanGeneratorFactory().create(descriptor("16"), junk)).getMessage()
                .endsWith("model/model.zip in test.gan: not a DL4J model zip (zip END header not found)"));
        Path g = dir.resolve("g.zip");
        ModelSerializer.writeModel(GanNets.generator(16, 4, 2e-4, 0, 1), g.toFile(), false);
        assertTrue(assertThrows(KonomiException.class, () -> new GanGeneratorFactory().create(descriptor("32"), g)).getMessage()
                .contains("the network takes a latent vector of 16 but the header says latent=32"));
        assertTrue(assertThrows(KonomiException.class, () -> new GanGeneratorFactory().create(descriptor("x"), g)).getMessage()
                .contains("the header needs latent=<length of the latent vector>"));
        Path scorer = dir.resolve("s.zip");
        ModelSerializer.writeModel(Nets.faceNet(new ModelMeta("classification", List.of("a", "b"), 32, ModelMeta.RGB01, null), 1,
                new FixedSchedule(1e-3), 0), scorer.toFile(), false);
        assertTrue(assertThrows(KonomiException.class, () -> new GanGeneratorFactory().create(descriptor("16"), scorer)).getMessage()
                .contains("not a GAN generator network"));
    }

    private static ModelDescriptor descriptor(String latent) {
        return new ModelDescriptor("generator", "gan", "tiny", "1.0.0", "model/model.zip", "64x64x3", Map.of("latent", latent), "test.gan", "test");
    }
}
