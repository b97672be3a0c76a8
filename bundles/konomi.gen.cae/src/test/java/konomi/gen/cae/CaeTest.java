package konomi.gen.cae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.gen.FaceTransformer;
import konomi.api.gen.GenEpoch;
import konomi.api.gen.GenTrainListener;
import konomi.api.gen.GenTrainOptions;
import konomi.api.gen.GenTrainResult;
import konomi.api.model.ModelDescriptor;

/** A tiny autoencoder trained on real faces of two characters: it reconstructs better, and the model loads and redraws. */
class CaeTest {
    static final Path HOLO = Path.of("../../../shared/data/anime_faces_holoen20");

    @Test
    void aShortTrainingLowersTheReconstructionErrorAndMakesATransformer(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("two");
        for (String who : List.of("gura", "ame")) { // a two-label dataset: links to real crops, never copies
            Files.createDirectories(data.resolve(who));
            try (var s = Files.list(HOLO.resolve(who))) {
                for (Path p : s.sorted().limit(48).toList()) {
                    Files.createSymbolicLink(data.resolve(who).resolve(p.getFileName()), p.toAbsolutePath());
                }
            }
        }
        List<String> messages = new ArrayList<>();
        GenTrainOptions o = new GenTrainOptions(4, 16, 1e-3, GenTrainOptions.HINGE, true, false, 0, 8, 8, 2, 16, 1, 0, true, "none");
        GenTrainResult r = new CaeRun(List.of(data), tmp.resolve("run"), o, new GenTrainListener() {
            @Override
            public void epoch(GenEpoch e) {
            }

            @Override
            public void message(String text) {
                messages.add(text);
            }
        }, null).run();
        assertTrue(messages.contains("2 labels; split by seed 2: 84 training, 12 validation faces"), messages.toString());
        List<GenEpoch> h = r.epochs();
        assertTrue(h.get(3).figure("train_l1") < h.get(0).figure("train_l1"), "training L1 falls: " + h);
        assertTrue(Double.isFinite(h.get(3).figure("val_l1")));
        assertFalse(h.get(0).figures().containsKey("agreement"), "no judge: no agreement");
        assertTrue(Files.exists(tmp.resolve("run/samples/epoch-004.png")));

        ModelDescriptor d = new ModelDescriptor("generator", "cae", "two", "1.0.0", "model/model.zip", "64x64x3",
                Map.of("latent", "8", "labels", "ame,gura"), "test.cae", "test");
        FaceTransformer t = new CaeFactory().create(d, r.model());
        Image face = konomi.imaging.Images.decode("f", Files.readAllBytes(Files.list(HOLO.resolve("gura")).sorted().findFirst().orElseThrow()));
        Image asAme = t.transform(face, "ame"), asGura = t.transform(face, "gura");
        assertEquals(64, asAme.width());
        // the label is an input of the decoder: another label, another drawing (in floats, and with batch statistics:
        // after a few steps the running batch-norm statistics are still far from the batches', and at inference the
        // tiny test network's last ReLUs are all off)
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork enc = CaeModel.read("test", r.model(), CaeModel.ENCODER),
                dec = CaeModel.read("test", r.model(), CaeModel.DECODER);
        org.nd4j.linalg.api.ndarray.INDArray z = enc.output(konomi.nn.gan.Samples.batch(List.of(face), 64), false);
        double diff = dec.output(CaeNets.decoderInput(z, CaeNets.onehot(new int[] {0}, 2)), true)
                .sub(dec.output(CaeNets.decoderInput(z, CaeNets.onehot(new int[] {1}, 2)), true)).amaxNumber().doubleValue();
        assertTrue(diff > 0, "the label changes the picture");
        assertEquals(64, asGura.height());
        assertArrayEquals(asGura.pixels(), t.reconstruct(face, "gura").pixels());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.transform(face, "nobody")).getMessage()
                .contains("two has no label nobody; its labels: ame, gura"));
        KonomiException wrong = assertThrows(KonomiException.class, () -> new CaeFactory().create(new ModelDescriptor("generator", "cae",
                "two", "1.0.0", "model/model.zip", "64x64x3", Map.of("latent", "8", "labels", "ame,gura,ina"), "test.cae", "test"), r.model()));
        assertTrue(wrong.getMessage().contains("the decoder takes 10 inputs but the header's latent=8 and 3 labels need 11"), wrong.getMessage());
    }
}
