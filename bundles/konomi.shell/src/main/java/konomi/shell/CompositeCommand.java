package konomi.shell;

import java.nio.file.Path;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.KonomiException;
import konomi.api.train.CompositeOptions;
import konomi.api.train.CompositeResult;
import konomi.api.train.Compositor;

/** {@code train:composite}: synthetic detector training pictures. */
@Component(service = CompositeCommand.class, property = {"osgi.command.scope=train", "osgi.command.function=composite"})
public class CompositeCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Compositor compositor;

    @Descriptor("make detector training pictures: real face crops pasted onto real backgrounds (training illustrations "
            + "with their faces painted over, or non-face patch mosaics), scaled, rotated, mirrored and colour-shifted, "
            + "with their tight face boxes in boxes.csv (file,x1,y1,x2,y2); pictures without a row hold no face. The "
            + "same seed and options give the same files")
    public void composite(
            @Descriptor("output folder (new, empty, or an earlier train:composite output, which is replaced)") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("pictures to make") @Parameter(names = {"-n", "--n"}, absentValue = "") String n,
            @Descriptor("seed") @Parameter(names = {"--seed"}, absentValue = "") String seed,
            @Descriptor("shared data folder (default ../shared/data)") @Parameter(names = {"--data"}, absentValue = "") String data,
            @Descriptor("most faces in a picture (default 4)") @Parameter(names = {"--faces"}, absentValue = "") String faces,
            @Descriptor("share of pictures with no face (default 0.05)") @Parameter(names = {"--negatives"}, absentValue = "") String negatives,
            @Descriptor("smallest face box side in pixels (default 20)") @Parameter(names = {"--min-face"}, absentValue = "") String minFace,
            @Descriptor("largest face box side as a share of the shorter picture side (default 0.5)") @Parameter(names = {"--max-face"}, absentValue = "") String maxFace,
            @Descriptor("smallest longest picture side (default 512)") @Parameter(names = {"--min-side"}, absentValue = "") String minSide,
            @Descriptor("largest longest picture side (default 800)") @Parameter(names = {"--max-side"}, absentValue = "") String maxSide,
            @Descriptor("largest rotation in degrees either way (default 20)") @Parameter(names = {"--rotate"}, absentValue = "") String rotate,
            @Descriptor("share of illustration backgrounds, the rest patch mosaics (default 0.5)") @Parameter(names = {"--illustrations"}, absentValue = "") String illustrations,
            @Descriptor("JPEG quality (default 92)") @Parameter(names = {"--quality"}, absentValue = "") String quality,
            @Descriptor("threads (default up to 4; the pictures do not depend on it)") @Parameter(names = {"--workers"}, absentValue = "") String workers) {
        Compositor c = compositor;
        if (c == null) {
            throw new KonomiException("no compositor installed (bundle konomi.train)");
        }
        CompositeOptions.Builder b = CompositeOptions.builder(TrainArgs.path(out));
        TrainArgs.given(n, v -> b.count(TrainArgs.integer("--n", v)));
        TrainArgs.given(seed, v -> b.seed(TrainArgs.whole("--seed", v)));
        TrainArgs.given(data, v -> b.data(Path.of(v)));
        TrainArgs.given(faces, v -> b.maxFaces(TrainArgs.integer("--faces", v)));
        TrainArgs.given(negatives, v -> b.negatives(TrainArgs.number("--negatives", v)));
        TrainArgs.given(minFace, v -> b.minFace(TrainArgs.integer("--min-face", v)));
        TrainArgs.given(maxFace, v -> b.maxFace(TrainArgs.number("--max-face", v)));
        TrainArgs.given(minSide, v -> b.minSide(TrainArgs.integer("--min-side", v)));
        TrainArgs.given(maxSide, v -> b.maxSide(TrainArgs.integer("--max-side", v)));
        TrainArgs.given(rotate, v -> b.maxRotation(TrainArgs.number("--rotate", v)));
        TrainArgs.given(illustrations, v -> b.illustrations(TrainArgs.number("--illustrations", v)));
        TrainArgs.given(quality, v -> b.quality(TrainArgs.integer("--quality", v)));
        TrainArgs.given(workers, v -> b.workers(TrainArgs.integer("--workers", v)));
        CompositeResult r = c.compose(b.build(), TrainArgs.messages());
        System.out.printf(Locale.ROOT, "wrote %d pictures (%d faces, %d without a face) to %s in %.1f s; labels %s%n",
                r.pictures(), r.faces(), r.negatives(), r.output(), r.seconds(), r.boxes());
    }
}
