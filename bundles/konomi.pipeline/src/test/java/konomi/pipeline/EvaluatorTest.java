package konomi.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.pipeline.DetectionEvalOptions;
import konomi.api.pipeline.DetectionEvaluation;
import konomi.api.pipeline.Pipeline;
import konomi.api.pipeline.PipelineJob;
import konomi.api.pipeline.PipelineSummary;
import konomi.api.pipeline.ProgressListener;
import konomi.api.sink.FaceResult;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ModelRef;

/** detect:eval's service with a pipeline double: one pass per detector, AP at each threshold from that pass. */
class EvaluatorTest {
    /** Truth: a.png has one face at 0,0-10,10; b.png none. */
    static Path boxes(Path tmp) throws IOException {
        return Files.writeString(tmp.resolve("boxes.csv"), "file,x1,y1,x2,y2\na.png,0,0,10,10\n");
    }

    /** Per detector name, what it finds in a.png and b.png; counts the passes. */
    static final class FakePipeline implements Pipeline {
        final Map<String, List<Face>> a = Map.of(
                // IoU with the truth 0.64: a match at 0.5 and at 0.3
                "tight", List.of(new Face(new Box(0, 0, 8, 8), 0.9)),
                // IoU 0.36: a match at 0.3 only
                "loose", List.of(new Face(new Box(0, 0, 6, 6), 0.9)));
        final List<String> passes = new ArrayList<>();

        public PipelineSummary run(PipelineJob job, ProgressListener listener) {
            passes.add(job.detector());
            listener.result(new ImageResult("a.png", null, 20, 20, a.get(job.detector()).stream().map(f -> new FaceResult(f, List.of())).toList(),
                    null, null, null));
            listener.result(new ImageResult("b.png", null, 20, 20, List.of(new FaceResult(new Face(new Box(1, 1, 5, 5), 0.1), List.of())),
                    null, null, null));
            return new PipelineSummary(2, 2, 0, List.of(), 0.5, List.of(), new ModelRef(job.detector(), "1.0.0", "cascade", ""), List.of());
        }
    }

    static Evaluator evaluator(FakePipeline p) throws Exception {
        Evaluator e = new Evaluator();
        Detectors d = new Detectors();
        FaceDetector none = new FaceDetector() {
            public String name() {
                return "x";
            }

            public List<Face> detect(Image image) {
                return List.of();
            }
        };
        d.addInstalled(none, Map.of("konomi.name", "tight", "service.id", 1L));
        d.addInstalled(none, Map.of("konomi.name", "loose", "service.id", 2L));
        set(e, "pipeline", p);
        set(e, "detectors", d);
        return e;
    }

    static void set(Object o, String field, Object v) throws Exception {
        var f = o.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(o, v);
    }

    @Test
    void onePassPerDetectorGivesApAtEachThreshold(@TempDir Path tmp) throws Exception {
        FakePipeline p = new FakePipeline();
        List<DetectionEvaluation> r = evaluator(p).evaluate(new DetectionEvalOptions(tmp.toString(), boxes(tmp), List.of("tight", "loose"),
                0.5, List.of(0.5, 0.3)), null);
        assertThat(p.passes).containsExactly("tight", "loose");
        assertThat(r).extracting(x -> x.detector().name()).containsExactly("tight", "loose");
        DetectionEvaluation tight = r.get(0), loose = r.get(1);
        assertThat(tight.aps()).extracting(DetectionEvaluation.ApAt::ap).containsExactly(1.0, 1.0);
        assertThat(tight.ap()).isEqualTo(1.0);
        assertThat(tight.recall()).isEqualTo(1.0);
        assertThat(tight.precision()).isEqualTo(0.5); // b.png's detection is a false positive
        assertThat(loose.aps()).extracting(DetectionEvaluation.ApAt::ap).containsExactly(0.0, 1.0);
        assertThat(loose.recall()).isEqualTo(0.0);
        assertThat(loose.imagesPerSecond()).isEqualTo(4.0);
    }

    @Test
    void anUnknownDetectorFailsBeforeAnyPassListingTheInstalledOnes(@TempDir Path tmp) throws Exception {
        FakePipeline p = new FakePipeline();
        Evaluator e = evaluator(p);
        Path boxes = boxes(tmp);
        // resolve waits (bounded) for a detector still loading; "nope" never comes
        assertThatThrownBy(() -> e.evaluate(new DetectionEvalOptions(tmp.toString(), boxes, List.of("tight", "nope"), 0.5, null), null))
                .isInstanceOf(KonomiException.class).hasMessage("no detector named 'nope'; installed: loose, tight");
        assertThat(p.passes).isEmpty();
        assertThatThrownBy(() -> new DetectionEvalOptions(tmp.toString(), boxes, List.of("a", "a"), 0.5, null))
                .hasMessage("--detectors names a detector twice: a,a");
        assertThatThrownBy(() -> new DetectionEvalOptions(tmp.toString(), boxes, List.of(), 0.5, List.of(0.5, 0.0)))
                .hasMessage("AP IoU must be in (0, 1], not 0.0");
    }
}
