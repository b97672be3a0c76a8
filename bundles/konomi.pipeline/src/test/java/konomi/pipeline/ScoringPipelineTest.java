package konomi.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.ImageSource;
import konomi.api.KonomiException;
import konomi.api.Score;
import konomi.api.Scorer;
import konomi.api.SourceItem;
import konomi.api.pipeline.PipelineJob;
import konomi.api.pipeline.PipelineSummary;
import konomi.api.pipeline.Progress;
import konomi.api.pipeline.ProgressListener;
import konomi.api.pipeline.RankedImage;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ResultSink;
import konomi.api.sink.RunInfo;
import konomi.api.sink.RunSummary;
import konomi.imaging.Images;

/** The pipeline wired by hand with test doubles for source, detector, scorer and sink. */
class ScoringPipelineTest {

    /** Image i is a 20x10 grey picture of level i; "bad" items hold bytes that are no image. */
    static byte[] png(int level) {
        byte[] px = new byte[20 * 10 * 3];
        java.util.Arrays.fill(px, (byte) level);
        try (Mat m = Images.toMat(new Image("x", 20, 10, 3, px)); BytePointer buf = new BytePointer()) {
            opencv_imgcodecs.imencode(".png", m, buf);
            byte[] b = new byte[(int) buf.limit()];
            buf.get(b);
            return b;
        }
    }

    record Item(String id, byte[] bytes) implements SourceItem {
        public URI location() {
            return URI.create("mem:" + id);
        }

        public byte[] read() throws IOException {
            if (bytes == null) {
                throw new IOException("gone");
            }
            return bytes;
        }
    }

    /** Serves items lazily; counts how many have been made, to check that the pipeline streams. */
    static class Source implements ImageSource {
        final int n;
        final boolean sized;
        volatile int made; // counted on the pipeline's reading thread

        Source(int n, boolean sized) {
            this.n = n;
            this.sized = sized;
        }

        public String name() {
            return "mem";
        }

        public boolean accepts(String location) {
            return location.startsWith("mem:");
        }

        public Stream<SourceItem> open(String location) {
            IntStream ids = IntStream.range(0, n);
            Stream<SourceItem> s = (sized ? ids.boxed() : ids.boxed().filter(i -> true)).map(i -> {
                made++;
                return i % 10 == 3 ? new Item("bad" + i, "no image".getBytes()) : i % 10 == 7 ? new Item("gone" + i, null)
                        : new Item("img" + i, png(i % 250));
            });
            return s;
        }
    }

    /** One face (the left half) in images with an even grey level, none in the others. */
    static final FaceDetector DETECTOR = new FaceDetector() {
        public String name() {
            return "half";
        }

        public List<Face> detect(Image image) {
            return (image.pixels()[0] & 0xFF) % 2 == 0 ? List.of(new Face(new Box(0, 0, 10, 10), 0.9)) : List.of();
        }
    };

    /** Scores a crop by its grey level. */
    static final Scorer LEVEL = new Scorer() {
        public String name() {
            return "level";
        }

        public List<Score> score(List<Image> faces) {
            return faces.stream().map(f -> new Score("level", f.pixels()[0] & 0xFF, null, null)).toList();
        }
    };

    static final class Recorder implements ResultSink {
        final List<ImageResult> results = new ArrayList<>();
        RunInfo info;
        RunSummary summary;
        boolean closed;
        int thumbnails;

        public Session open(RunInfo run) {
            info = run;
            return new Session() {
                public void accept(ImageResult result, Image image) {
                    results.add(result);
                    if (image != null) {
                        thumbnails++;
                    }
                }

                public void complete(RunSummary s) {
                    summary = s;
                }

                public void close() {
                    closed = true;
                }
            };
        }
    }

    final Recorder recorder = new Recorder();
    final Source source = new Source(100, true);

    ScoringPipeline pipeline() {
        Detectors d = new Detectors();
        d.bindDetector(DETECTOR, Map.of("konomi.name", "half", "konomi.version", "1.0.0", "service.id", 1L));
        d.addInstalled(DETECTOR, Map.of("konomi.name", "half", "konomi.version", "1.0.0", "service.id", 1L));
        Scorers s = new Scorers();
        s.addScorer(LEVEL, Map.of("konomi.name", "level", "konomi.type", "regression", "service.id", 2L));
        ScoringPipeline p = new ScoringPipeline();
        p.detectors = d;
        p.scorers = s;
        p.sources = List.of(Map.entry(Map.of(), source));
        p.addSink(recorder, Map.of(ResultSink.NAME, "rec", "service.id", 3L));
        return p;
    }

    @Test
    void streamsEveryImageToTheSinkAndKeepsOnlyTheTopN(@TempDir Path tmp) {
        List<Progress> progress = new ArrayList<>();
        PipelineSummary s = pipeline().run(new PipelineJob("mem:x", List.of("level"), null, false, 0.25, List.of("rec"),
                tmp.resolve("out"), false, 5), progress::add);
        // 100 images: 10 undecodable, 10 unreadable
        assertThat(s.images()).isEqualTo(80);
        assertThat(s.errors()).isEqualTo(20);
        assertThat(s.messages()).contains("bad3: not a readable image (corrupt or unsupported format)", "gone7: cannot read: gone");
        assertThat(recorder.results).hasSize(100);
        assertThat(recorder.results.get(0).id()).isEqualTo("img0");
        assertThat(recorder.thumbnails).isEqualTo(80);
        assertThat(recorder.summary).isEqualTo(new RunSummary(80, s.faces(), 20, recorder.summary.seconds()));
        assertThat(recorder.closed).isTrue();
        assertThat(recorder.info.detector().name()).isEqualTo("half");
        // even levels have a face scored by its level; the best five are the highest even levels below 100
        assertThat(s.top()).extracting(RankedImage::id).containsExactly("img98", "img96", "img94", "img92", "img90");
        assertThat(s.top().get(0).score()).isEqualTo(98.0);
        ImageResult noFace = recorder.results.get(1);
        assertThat(noFace.faces()).isEmpty();
        assertThat(noFace.score()).isNull();
        assertThat(progress).hasSize(100);
        assertThat(progress.get(99).total()).isEqualTo(100);
        assertThat(progress.get(99).done()).isEqualTo(100);
    }

    @Test
    void pullsItemsAChunkAtATimeAndCopesWithAnUnknownTotal() {
        Source unsized = new Source(30, false);
        ScoringPipeline p = pipeline();
        p.sources = List.of(Map.entry(Map.of(), unsized));
        List<Integer> madeWhenSeen = new ArrayList<>();
        p.run(new PipelineJob("mem:x", List.of("level"), null, false, 0.25, List.of(), null, false, 3), new ProgressListener() {
            public void progress(Progress progress) {
                assertThat(progress.total()).isEqualTo(-1);
                assertThat(progress.etaSeconds()).isEqualTo(-1);
            }

            public void result(ImageResult result) {
                madeWhenSeen.add(unsized.made);
            }
        });
        // results come as soon as their chunk (8 pictures to detect in) is scored, and reading runs at most two
        // chunks ahead of it (one waiting, one being read): a long source is never read into memory
        int chunk = ScoringPipeline.CHUNK_PICTURES;
        assertThat(madeWhenSeen).hasSize(30);
        for (int n = 1; n <= 30; n++) {
            int end = ((n - 1) / chunk + 1) * chunk;
            assertThat(madeWhenSeen.get(n - 1)).as("items made when result %d was seen", n).isBetween(Math.min(30, end), Math.min(30, end + 2 * chunk));
        }
    }

    static boolean readerAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("konomi-read") && t.isAlive());
    }

    @Test
    void aSourceFailingMidwayEndsTheRunWithItsErrorAndTheReaderStops() {
        ScoringPipeline p = pipeline();
        Source failing = new Source(100, true) {
            @Override
            public Stream<SourceItem> open(String location) {
                return super.open(location).peek(item -> {
                    if (item.id().equals("img70")) {
                        throw new KonomiException("mem:x: connection reset after 70 items");
                    }
                });
            }
        };
        p.sources = List.of(Map.entry(Map.of(), failing));
        assertThatThrownBy(() -> p.run(new PipelineJob("mem:x", List.of("level"), null, true, 0.25, List.of("rec"), null, false, 1), null))
                .hasMessage("mem:x: connection reset after 70 items");
        assertThat(recorder.closed).isTrue();
        assertThat(readerAlive()).isFalse();
    }

    @Test
    void facesGivenScoresEachWholeImageWithoutADetector() {
        ScoringPipeline p = pipeline();
        p.detectors = new Detectors(); // none installed: must not be asked
        PipelineSummary s = p.run(new PipelineJob("mem:x", List.of("level"), null, true, 0.25, List.of("rec"), null, false, 1), null);
        assertThat(s.faces()).isEqualTo(80);
        assertThat(s.detector()).isNull();
        assertThat(s.top().get(0).score()).isEqualTo(99.0);
        assertThat(recorder.results.get(0).faces().get(0).face().box()).isEqualTo(new Box(0, 0, 20, 10));
    }

    @Test
    void facesOfManyPicturesReachTheScorerInFullBatchesAndResultsKeepSourceOrder() {
        ScoringPipeline p = pipeline();
        List<Integer> calls = new ArrayList<>();
        Scorers counting = new Scorers();
        counting.addScorer(new Scorer() {
            public String name() {
                return "level";
            }

            public List<Score> score(List<Image> faces) {
                calls.add(faces.size());
                return LEVEL.score(faces);
            }
        }, Map.of("konomi.name", "level", "service.id", 9L));
        p.scorers = counting;
        p.run(new PipelineJob("mem:x", List.of("level"), null, true, 0.25, List.of("rec"), null, false, 1), null);
        // 100 items, 20 of them unreadable: the 80 faces come in chunks of 64 items (51 faces) and 36 items (29 faces)
        assertThat(calls.stream().mapToInt(Integer::intValue).sum()).isEqualTo(80);
        assertThat(calls).hasSize(2);
        assertThat(recorder.results).extracting(ImageResult::id).containsExactlyElementsOf(IntStream.range(0, 100)
                .mapToObj(i -> (i % 10 == 3 ? "bad" : i % 10 == 7 ? "gone" : "img") + i).toList());
        assertThat(recorder.results).filteredOn(r -> r.error() == null)
                .allSatisfy(r -> assertThat(r.score()).isEqualTo(Double.parseDouble(r.id().substring(3))));
    }

    @Test
    void unknownNamesAndAnExistingOutputAreOneLineErrors(@TempDir Path tmp) throws IOException {
        ScoringPipeline p = pipeline();
        assertThatThrownBy(() -> p.run(new PipelineJob("mem:x", List.of("level"), null, false, 0.25, List.of("rec", "slack"), null, false, 1), null))
                .isInstanceOf(KonomiException.class).hasMessage("no sink named slack; installed: rec");
        assertThatThrownBy(() -> p.run(new PipelineJob("ftp://x", List.of("level"), null, false, 0.25, List.of(), null, false, 1), null))
                .hasMessage("ftp://x: no image source understands this location");
        Path out = Files.createDirectories(tmp.resolve("out"));
        // an empty folder is fine (made beforehand, e.g. by mktemp -d); one with a file is not
        p.run(new PipelineJob("mem:x", List.of("level"), null, false, 0.25, List.of("rec"), out, false, 1), null);
        recorder.results.clear();
        Files.writeString(out.resolve("results.json"), "{}");
        assertThatThrownBy(() -> p.run(new PipelineJob("mem:x", List.of("level"), null, false, 0.25, List.of("rec"), out, false, 1), null))
                .hasMessage(out + ": already exists (use --force to write into it, or another --out)");
        assertThat(recorder.results).isEmpty();
        assertThatThrownBy(() -> new PipelineJob("mem:x", List.of(), null, false, 3, List.of(), null, false, 1))
                .hasMessage("--margin must be between 0 and 2, not 3.0");
    }

    @Test
    void aFailingScorerEndsTheRunAndTheSinksDiscard() {
        ScoringPipeline p = pipeline();
        Scorers broken = new Scorers();
        broken.addScorer(new Scorer() {
            public String name() {
                return "level";
            }

            public List<Score> score(List<Image> faces) {
                throw new KonomiException("level: model file damaged");
            }
        }, Map.of("konomi.name", "level", "service.id", 9L));
        p.scorers = broken;
        assertThatThrownBy(() -> p.run(new PipelineJob("mem:x", List.of("level"), null, false, 0.25, List.of("rec"), null, false, 1), null))
                .hasMessage("level: model file damaged");
        assertThat(recorder.summary).isNull();
        assertThat(recorder.closed).isTrue();
        assertThat(readerAlive()).isFalse(); // the chunks read ahead are dropped and their reader ends with the run
    }

    @Test
    void aSinkWithItsOwnOutputSeesItAsTheRunsOutputAndAnExistingOneIsRefused(@TempDir Path tmp) throws IOException {
        ScoringPipeline p = pipeline();
        Recorder other = new Recorder();
        p.addSink(other, Map.of(ResultSink.NAME, "labels", "service.id", 4L));
        Path out = tmp.resolve("out"), labels = tmp.resolve("pics/labels");
        p.run(new PipelineJob("mem:x", List.of(), null, false, 0.25, List.of("rec", "labels"), out, false, 1, Map.of("labels", labels)), null);
        assertThat(recorder.info.output()).isEqualTo(out);
        assertThat(other.info.output()).isEqualTo(labels);
        assertThat(other.results).hasSize(100);

        Files.writeString(Files.createDirectories(labels).resolve("img0.txt"), "");
        assertThatThrownBy(() -> p.run(new PipelineJob("mem:x", List.of(), null, false, 0.25, List.of("rec", "labels"), tmp.resolve("new"),
                false, 1, Map.of("labels", labels)), null)).hasMessage(labels + ": already exists (use --force to write into it)");
        assertThatThrownBy(() -> new PipelineJob("mem:x", List.of(), null, false, 0.25, List.of("rec"), out, false, 1, Map.of("labels", labels)))
                .hasMessage("an output is given for sink labels, which the run does not use");
    }

    /** A source that accepts every mem: location but finds it is another kind once read. */
    static final class Elsewhere extends Source {
        int opened;

        Elsewhere() {
            super(0, true);
        }

        @Override
        public Stream<SourceItem> open(String location) {
            opened++;
            throw new konomi.api.WrongSourceException(location + ": not a feed (text/html)");
        }
    }

    @Test
    void theHighestRankedSourceOpensFirstAndAWrongKindFallsThroughToTheNext() {
        ScoringPipeline p = pipeline();
        Source few = new Source(4, true);
        Elsewhere feed = new Elsewhere();
        // listed lowest first: the ranking decides, not the order
        p.sources = List.of(Map.entry(Map.of("service.ranking", -5), source), Map.entry(Map.of(), few),
                Map.entry(Map.of("service.ranking", 100), feed));
        PipelineSummary s = p.run(new PipelineJob("mem:x", List.of("level"), null, false, 0.25, List.of(), null, false, 3), null);
        assertThat(feed.opened).isEqualTo(1);
        assertThat(s.images() + s.errors()).isEqualTo(4);

        p.sources = List.of(Map.entry(Map.of("service.ranking", 100), feed));
        assertThatThrownBy(() -> p.run(new PipelineJob("mem:x", List.of("level"), null, false, 0.25, List.of(), null, false, 3), null))
                .isInstanceOf(konomi.api.WrongSourceException.class).hasMessage("mem:x: not a feed (text/html)");
    }
}
