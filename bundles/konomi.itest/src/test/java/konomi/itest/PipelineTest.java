package konomi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.Score;
import konomi.api.Scorer;
import konomi.api.ServiceProps;
import konomi.api.pipeline.Pipeline;
import konomi.api.pipeline.PipelineJob;
import konomi.api.pipeline.PipelineSummary;
import konomi.api.pipeline.Progress;
import konomi.api.pipeline.ProgressListener;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ResultSink;
import konomi.api.sink.RunInfo;
import konomi.api.sink.RunSummary;
import konomi.imaging.Images;

/**
 * The pipeline service in a real framework: a folder of generated pictures (one corrupt) streams through a
 * detector double and a scorer double into the report sinks and a sink the test registers (whiteboard).
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class PipelineTest {
    @InjectBundleContext
    BundleContext context;
    @InjectService(timeout = 20_000)
    Pipeline pipeline;
    @TempDir
    Path dir;

    private Path pictures;

    /** Five pictures of rising brightness and one file that is not an image. */
    @BeforeEach
    void pictures() throws Exception {
        pictures = Files.createDirectories(dir.resolve("pics"));
        for (int i = 1; i <= 5; i++) {
            byte[] px = new byte[64 * 48 * 3];
            java.util.Arrays.fill(px, (byte) (i * 40));
            Files.write(pictures.resolve("p" + i + ".jpg"), Images.jpeg(new Image("p" + i, 64, 48, 3, px), 95));
        }
        Files.writeString(pictures.resolve("broken.jpg"), "not a picture");
        register(FaceDetector.class, new FaceDetector() {
            @Override
            public String name() {
                return "half";
            }

            @Override
            public List<Face> detect(Image image) {
                return List.of(new Face(new Box(0, 0, image.width() / 2, image.height()), 0.8));
            }
        }, "half", "detector");
        register(Scorer.class, new Scorer() {
            @Override
            public String name() {
                return "bright";
            }

            @Override
            public List<Score> score(List<Image> faces) {
                return faces.stream().map(f -> new Score("bright", (f.pixels()[0] & 0xff) / 255.0, null, null)).toList();
            }
        }, "bright", "scorer");
    }

    private <S> void register(Class<S> type, S service, String name, String kind) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(ServiceProps.NAME, name);
        p.put(ServiceProps.KIND, kind);
        p.put(ServiceProps.TYPE, "regression");
        p.put(ServiceProps.VERSION, "1.0.0");
        context.registerService(type, service, p);
    }

    @Test
    void streamsEveryImageToTheSinksAndRanksByTheFirstScorer() throws Exception {
        Probe probe = new Probe();
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(ResultSink.NAME, "probe");
        context.registerService(ResultSink.class, probe, p);
        List<Progress> progress = Collections.synchronizedList(new ArrayList<>());
        Path out = dir.resolve("out");

        PipelineSummary s = pipeline.run(new PipelineJob(pictures.toString(), List.of("bright"), "half", false, 0.0,
                List.of("probe", "json", "csv", "html"), out, false, 3), progress::add);

        assertThat(s.images()).as("images read; the broken one is an error").isEqualTo(5);
        assertThat(s.faces()).isEqualTo(5);
        assertThat(s.errors()).isEqualTo(1);
        assertThat(s.messages()).singleElement().asString().startsWith("broken.jpg: ");
        assertThat(s.top()).extracting(r -> r.id()).containsExactly("p5.jpg", "p4.jpg", "p3.jpg");
        assertThat(s.top().get(0).score()).isCloseTo(200 / 255.0, org.assertj.core.data.Offset.offset(0.03));
        assertThat(progress).isNotEmpty().last().extracting(Progress::done).isEqualTo(6);

        // the whiteboard sink saw every image in source order, then the end of the run, then close
        assertThat(probe.results).extracting(ImageResult::id).containsExactly("broken.jpg", "p1.jpg", "p2.jpg", "p3.jpg", "p4.jpg", "p5.jpg");
        assertThat(probe.results.get(0).failed()).isTrue();
        assertThat(probe.results.get(1).faces()).singleElement().satisfies(f -> assertThat(f.face().box()).isEqualTo(new Box(0, 0, 32, 48)));
        assertThat(probe.events).containsExactly("open", "complete", "close");
        assertThat(probe.run.output()).isEqualTo(out);

        // the report sinks wrote their files
        assertThat(Files.readString(out.resolve("results.json"))).contains("\"p5.jpg\"", "\"broken.jpg\"", "\"bright\"");
        assertThat(Files.readAllLines(out.resolve("results.csv"))).hasSize(1 + 5);
        assertThat(Files.readString(out.resolve("report.html"))).contains("p5.jpg", "p3.jpg").doesNotContain("p1.jpg");
    }

    @Test
    void anUnknownSinkIsRefusedNamingTheInstalledOnes() {
        assertThatThrownBy(() -> pipeline.run(new PipelineJob(pictures.toString(), List.of("bright"), "half", false, 0.25,
                List.of("nosuch"), dir.resolve("o2"), false, 3), p -> { }))
                .isInstanceOf(KonomiException.class).hasMessageContaining("nosuch").hasMessageContaining("json");
    }

    /** A sink that records what it was given. */
    static final class Probe implements ResultSink {
        final List<ImageResult> results = Collections.synchronizedList(new ArrayList<>());
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        volatile RunInfo run;

        @Override
        public Session open(RunInfo run) {
            this.run = run;
            events.add("open");
            return new Session() {
                @Override
                public void accept(ImageResult result, Image image) {
                    results.add(result);
                }

                @Override
                public void complete(RunSummary summary) {
                    events.add("complete");
                }

                @Override
                public void close() {
                    events.add("close");
                }
            };
        }
    }
}
