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
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import konomi.api.Image;
import konomi.api.ImageSource;
import konomi.api.SourceItem;
import konomi.api.catalog.Catalog;
import konomi.api.catalog.CatalogEntry;
import konomi.api.catalog.CatalogQuery;
import konomi.api.catalog.CatalogStats;
import konomi.api.catalog.Pending;
import konomi.api.catalog.Sighting;
import konomi.api.pipeline.PipelineJob;
import konomi.api.pipeline.PipelineSummary;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ResultSink;
import konomi.imaging.Images;
import konomi.imaging.PerceptualHash;

/**
 * The pipeline with a catalog: every processed image is recorded before sinks see it; --new-only skips known
 * locations unread and reposts (resized, recompressed real illustrations) undetected; --min-score filters sinks.
 */
class CatalogRunTest {
    static final Path PLAIN = Path.of(System.getProperty("konomi.shared", "../../../shared"), "data", "anime_illustrations_plain");

    /** Records sightings in memory; a duplicate is a hash within the default distance. */
    static class Recording implements Catalog {
        final List<Sighting> sightings = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());

        public boolean seen(URI location) {
            return sightings.stream().anyMatch(s -> s.location().equals(location));
        }

        public Optional<CatalogEntry> duplicateOf(long phash) {
            return sightings.stream().filter(s -> PerceptualHash.distance(s.phash(), phash) <= PerceptualHash.DEFAULT_DISTANCE).findFirst()
                    .map(s -> new CatalogEntry(0, s.source(), s.location(), s.phash(), s.width(), s.height(), s.faces().size(), null, null, null,
                            s.seen(), s.seen(), List.of()));
        }

        public long record(Sighting sighting) {
            sightings.add(sighting);
            threads.add(Thread.currentThread().getName());
            return sightings.size();
        }

        public boolean wasSent(URI location, String sink) {
            return false;
        }

        public void markSent(URI location, String sink, String detail) {
        }

        public void keepPending(URI location, String sink, String payload, String error) {
        }

        public List<Pending> pending(String sink) {
            return List.of();
        }

        public void dropPending(long pendingId) {
        }

        public List<CatalogEntry> list(CatalogQuery query) {
            return List.of();
        }

        public CatalogStats stats() {
            return null;
        }
    }

    /** Real pictures under "web:" locations; reading is counted. {@code repost} gives half-size JPEG copies at new locations. */
    static final class Pictures implements ImageSource {
        final List<Path> files;
        final boolean repost;
        int reads;

        Pictures(List<Path> files, boolean repost) {
            this.files = files;
            this.repost = repost;
        }

        public String name() {
            return "pictures";
        }

        public boolean accepts(String location) {
            return location.startsWith("web:");
        }

        public Stream<SourceItem> open(String location) {
            return files.stream().map(f -> new SourceItem() {
                public String id() {
                    return (repost ? "repost-" : "") + f.getFileName();
                }

                public URI location() {
                    return URI.create("http://example.test/" + id());
                }

                public byte[] read() throws IOException {
                    reads++;
                    byte[] b = Files.readAllBytes(f);
                    if (!repost) {
                        return b;
                    }
                    Image img = Images.decode(id(), b);
                    return Images.jpeg(Images.resize(img, img.width() / 2, img.height() / 2), 60);
                }
            });
        }
    }

    static List<Path> plain(int n) throws IOException {
        try (Stream<Path> s = Files.list(PLAIN)) {
            return s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(n).toList();
        }
    }

    final Recording catalog = new Recording();
    final ScoringPipelineTest.Recorder sink = new ScoringPipelineTest.Recorder();
    final List<byte[]> bytesSeen = new ArrayList<>();

    ScoringPipeline pipeline(ImageSource source) {
        ScoringPipeline p = new ScoringPipelineTest().pipeline();
        p.sources = List.of(Map.entry(Map.of(), source));
        p.catalog = catalog;
        p.addSink(new ResultSink() {
            public Session open(konomi.api.sink.RunInfo run) {
                Session inner = sink.open(run);
                return new Session() {
                    public void accept(ImageResult result, Image image) {
                        throw new AssertionError("the pipeline hands sinks the bytes");
                    }

                    public void accept(ImageResult result, Image image, byte[] encoded) {
                        bytesSeen.add(encoded);
                        inner.accept(result, image);
                    }

                    public void complete(konomi.api.sink.RunSummary summary) {
                        inner.complete(summary);
                    }

                    public String note() {
                        return "bytes: " + bytesSeen.size();
                    }

                    public void close() {
                        inner.close();
                    }
                };
            }
        }, Map.of(ResultSink.NAME, "bytes", ResultSink.OUTPUT, ResultSink.OUTPUT_NONE, "service.id", 7L));
        return p;
    }

    static PipelineJob job(boolean newOnly, Double minScore) {
        return new PipelineJob("web:feed", List.of("level"), null, false, 0.25, List.of("bytes"), null, false, 5).withNewOnly(newOnly)
                .withMinScore(minScore);
    }

    @Test
    void newOnlySkipsWhatWasSeenUnreadAndRepostsUndetected() throws IOException {
        List<Path> five = plain(5);
        Pictures originals = new Pictures(five, false);
        PipelineSummary first = pipeline(originals).run(job(true, null), null);
        assertThat(first.images()).isEqualTo(5);
        assertThat(first.skipped()).isZero();
        assertThat(first.notes()).containsExactly("bytes: 5");
        assertThat(catalog.sightings).hasSize(5);
        assertThat(catalog.sightings.get(0).phash()).isNotZero();
        assertThat(catalog.sightings.get(0).scorers()).extracting(r -> r.name()).containsExactly("level");
        assertThat(bytesSeen.get(0)).isEqualTo(Files.readAllBytes(five.get(0)));

        // the same locations again: nothing is read
        PipelineSummary again = pipeline(originals).run(job(true, null), null);
        assertThat(again.skipped()).isEqualTo(5);
        assertThat(again.images()).isZero();
        assertThat(originals.reads).isEqualTo(5);

        // resized and recompressed copies under new URLs, and one new picture: the copies are read, known, not detected
        List<Path> six = plain(6);
        Pictures reposts = new Pictures(six, true);
        sink.results.clear();
        PipelineSummary third = pipeline(reposts).run(job(true, null), null);
        assertThat(third.skipped()).isEqualTo(5);
        assertThat(third.images()).isEqualTo(1);
        assertThat(sink.results).extracting(ImageResult::id).containsExactly("repost-" + six.get(5).getFileName());
        assertThat(catalog.sightings).hasSize(11);
        // without --new-only everything is processed (and recorded again)
        assertThat(pipeline(reposts).run(job(false, null), null).images()).isEqualTo(6);
    }

    @Test
    void minScoreFiltersWhatSinksReceive() {
        ScoringPipeline p = new ScoringPipelineTest().pipeline();
        ScoringPipelineTest.Recorder rec = new ScoringPipelineTest.Recorder();
        p.addSink(rec, Map.of(ResultSink.NAME, "all", "service.id", 8L));
        PipelineSummary s = p.run(new PipelineJob("mem:x", List.of("level"), null, false, 0.25, List.of("all"), null, false, 5)
                .withMinScore(50.0), null);
        // 100 items: 20 fail, 30 have no face (odd levels), 50 even levels 0..98 score their level; the 25 from 50 up pass
        List<ImageResult> ok = rec.results.stream().filter(r -> !r.failed()).toList();
        assertThat(ok).allSatisfy(r -> assertThat(r.score()).isGreaterThanOrEqualTo(50.0));
        assertThat(ok).hasSize(25);
        assertThat(rec.results.stream().filter(ImageResult::failed)).hasSize(20);
        assertThat(s.belowMin()).isEqualTo(80 - 25);
        assertThat(s.top().get(0).score()).isEqualTo(98.0);
    }

    @Test
    void newOnlyWithoutACatalogIsOneLine() {
        ScoringPipeline p = new ScoringPipelineTest().pipeline();
        assertThatThrownBy(() -> p.run(new PipelineJob("mem:x", List.of("level"), null, false, 0.25, List.of(), null, false, 5).withNewOnly(true), null))
                .hasMessage("--new-only needs the catalog, and bundle konomi.catalog is not active (see catalog:stats)");
    }

    @Test
    void chunksAreRecordedWhileTheNextIsScoredAndDeliveredOnlyOnceRecorded() {
        ScoringPipeline p = new ScoringPipelineTest().pipeline();
        p.catalog = new Recording() {
            @Override
            public List<Long> recordAll(List<Sighting> s) {
                try {
                    Thread.sleep(20); // slower than scoring a chunk: a delivery that did not wait would find its picture missing
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return super.recordAll(s);
            }
        };
        Recording recording = (Recording) p.catalog;
        List<String> delivered = new ArrayList<>();
        p.addSink(run -> new ResultSink.Session() {
            public void accept(ImageResult result, Image image) {
                if (!result.failed()) {
                    assertThat(recording.seen(result.location())).as(result.id() + " recorded before delivery").isTrue();
                }
                delivered.add(result.id());
            }

            public void complete(konomi.api.sink.RunSummary summary) {
            }

            public void close() {
            }
        }, Map.of(ResultSink.NAME, "check", ResultSink.OUTPUT, ResultSink.OUTPUT_NONE, "service.id", 9L));
        PipelineSummary s = p.run(new PipelineJob("mem:x", List.of("level"), null, false, 0.25, List.of("check"), null, false, 5), null);
        assertThat(delivered).hasSize(100);
        assertThat(delivered).as("in source order").isEqualTo(delivered.stream().sorted(java.util.Comparator.comparingInt(
                id -> Integer.parseInt(id.replaceAll("\\D", "")))).toList());
        assertThat(recording.sightings).hasSize(s.images());
        assertThat(recording.threads).containsOnly("konomi-catalog-record");
    }

    @Test
    void aRunOpensTheCatalogAheadOnTheRecordingThread() {
        ScoringPipeline p = new ScoringPipelineTest().pipeline();
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        p.catalog = new Recording() {
            @Override
            public void open() {
                calls.add("open on " + Thread.currentThread().getName());
            }

            @Override
            public List<Long> recordAll(List<Sighting> s) {
                calls.add("record");
                return super.recordAll(s);
            }
        };
        p.run(new PipelineJob("mem:x", List.of("level"), null, false, 0.25, List.of(), null, false, 5), null);
        assertThat(calls).first().isEqualTo("open on konomi-catalog-record");
        assertThat(calls).filteredOn("record"::equals).isNotEmpty();
    }
}
