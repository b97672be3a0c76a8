package konomi.nn.gan;

import konomi.nn.WeightAverage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import konomi.api.Image;
import konomi.imaging.Images;

/** Manual probe (-Dgan.probe=steps): step time and a sample grid. */
class GanProbe {
    @Test
    @EnabledIfSystemProperty(named = "gan.probe", matches = "\\d+")
    void probe() throws Exception {
        int steps = Integer.getInteger("gan.probe"), w = Integer.getInteger("gan.width", 32), batch = Integer.getInteger("gan.batch", 64);
        List<Image> faces = new ArrayList<>();
        try (var s = Files.list(Path.of("../../../shared/data/anime_face_patches64/face"))) {
            for (Path p : s.sorted().limit(1024).toList()) {
                faces.add(Images.decode(p.toString(), Files.readAllBytes(p)));
            }
        }
        INDArray data = Samples.batch(faces, 64);
        boolean hinge = !Boolean.getBoolean("gan.dcgan");
        MultiLayerNetwork g = GanNets.generator(128, w, 2e-4, hinge ? 0 : 0.5, 1), d = GanNets.discriminator(w, !hinge, 2e-4, hinge ? 0 : 0.5, 1);
        System.out.println("G params " + g.numParams() + " D params " + d.numParams());
        GanStep step = new GanStep(g, d, hinge ? GanStep.Loss.HINGE : GanStep.Loss.DCGAN, hinge ? new SpectralNorm(d, 1) : null,
                Boolean.getBoolean("gan.aug") ? new DiffAugment(1) : null, new WeightAverage<>(g, 0.999, true), 0);
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            int o = (i * batch) % (1024 - batch);
            GanStep.Losses l = step.step(data.get(NDArrayIndex.interval(o, o + batch)), 0);
            if (i % 10 == 0 || i == steps - 1) {
                System.out.printf("step %d D %.3f G %.3f real %.3f fake %.3f  %.0f ms/step%n", i, l.discriminator(), l.generator(), l.realScore(), l.fakeScore(),
                        (System.nanoTime() - t0) / 1e6 / (i + 1));
            }
        }
        Image grid = Images.grid(Samples.images(g.output(step.noise(64), false), "s"), 8);
        Files.write(Path.of("/tmp/gan-probe.png"), Images.png(grid));
    }
}
