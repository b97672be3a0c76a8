package konomi.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.ImageSource;
import konomi.api.KonomiException;
import konomi.api.Score;
import konomi.api.Scorer;
import konomi.api.SourceItem;
import konomi.api.WrongSourceException;
import konomi.api.catalog.Catalog;
import konomi.api.catalog.Sighting;
import konomi.api.pipeline.Pipeline;
import konomi.api.pipeline.PipelineJob;
import konomi.api.pipeline.PipelineSummary;
import konomi.api.pipeline.Progress;
import konomi.api.pipeline.ProgressListener;
import konomi.api.pipeline.RankedImage;
import konomi.api.sink.FaceResult;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ModelRef;
import konomi.api.sink.ResultSink;
import konomi.api.sink.RunInfo;
import konomi.api.sink.RunSummary;
import konomi.imaging.Images;
import konomi.imaging.PerceptualHash;

/**
 * The pipeline: streams the source in small chunks (decode, detect or take the image as the face, crop with a
 * margin, then score the chunk's crops together with every scorer, so a network sees full batches even when each
 * picture is one face) and hands each result to the chosen sinks in source order. A chunk is at most 64 face
 * crops or 8 pictures to detect in, and at most {@link #CHUNK_PIXELS} decoded pixels; beyond it the run keeps only
 * counters, the first {@link PipelineSummary#MAX_MESSAGES} error lines and the top N for the table, so memory
 * does not grow with the number of images. Detector and scorers are bound once, when the run starts.
 *
 * <p>When the catalog is installed every processed image is recorded in it (with its perceptual hash) before the
 * sinks see it, so a sink can ask the catalog whether that picture was sent before; with {@code --new-only} the
 * catalog also decides what is skipped.
 */
@Component(service = Pipeline.class)
public class ScoringPipeline implements Pipeline {
    /** Ranks by score, best first; images without a score (no face) last. */
    static final Comparator<RankedImage> RANKING = Comparator.comparingDouble(
            (RankedImage r) -> r.score() == null ? Double.NEGATIVE_INFINITY : r.score()).reversed();

    @Reference
    Detectors detectors;
    @Reference
    Scorers scorers;
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<Map.Entry<Map<String, Object>, ImageSource>> sources;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Catalog catalog;
    private final List<Bound<ResultSink>> sinks = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSink(ResultSink sink, Map<String, Object> props) {
        sinks.add(new Bound<>(sink, props));
    }

    void removeSink(ResultSink sink) {
        sinks.removeIf(b -> b.service() == sink);
    }

    @Override
    public PipelineSummary run(PipelineJob job, ProgressListener listener) {
        List<Bound<ResultSink>> chosenSinks = sinks(job.sinks());
        List<Bound<Scorer>> chosenScorers = job.scorers().isEmpty() ? List.of() : scorers.resolve(job.scorers());
        Bound<FaceDetector> detector = job.facesGiven() ? null : detectors.resolve(job.detector());
        ImageSource source = source(job.location());
        Catalog cat = catalog;
        if (job.newOnly() && cat == null) {
            throw new KonomiException("--new-only needs the catalog, and bundle konomi.catalog is not active (see catalog:stats)");
        }
        if (!job.force()) {
            for (int i = 0; i < chosenSinks.size(); i++) {
                Path out = job.outputOf(job.sinks().get(i));
                // an empty folder (made beforehand, e.g. by mktemp -d) holds nothing to lose
                if (out != null && outputMode(chosenSinks.get(i)).equals(ResultSink.OUTPUT_REPLACE) && Files.exists(out) && !emptyFolder(out)) {
                    throw new KonomiException(out + ": already exists (use --force to "
                            + (Files.isDirectory(out) ? "write into it" + (out.equals(job.output()) ? ", or another --out)" : ")") : "replace it)"));
                }
            }
        }
        RunInfo info = new RunInfo(job.location(), job.output(), job.force(), job.facesGiven(), detector == null ? null : detector.ref(),
                chosenScorers.stream().map(Bound::ref).toList(), job.margin(), job.top(), Instant.now());
        Run run = new Run(job, info, detector, chosenScorers, listener, cat);
        // the source first: a missing folder fails before any sink creates files
        try (Stream<SourceItem> items = source.open(job.location())) {
            Spliterator<SourceItem> it = items.spliterator();
            run.total = (int) Math.min(Integer.MAX_VALUE, it.getExactSizeIfKnown());
            List<ResultSink.Session> sessions = new ArrayList<>();
            try {
                for (int i = 0; i < chosenSinks.size(); i++) {
                    Path out = job.outputOf(job.sinks().get(i));
                    // a sink with an output of its own sees it as the run's output
                    sessions.add(chosenSinks.get(i).service().open(out == info.output() ? info : new RunInfo(info.source(), out, info.force(),
                            info.facesGiven(), info.detector(), info.scorers(), info.margin(), info.top(), info.started())));
                }
                run.processAll(it, sessions);
                RunSummary summary = new RunSummary(run.images, run.faces, run.errors, run.seconds());
                List<String> notes = new ArrayList<>();
                for (ResultSink.Session s : sessions) {
                    s.complete(summary);
                    String note = s.note();
                    if (note != null) {
                        notes.add(note);
                    }
                }
                return new PipelineSummary(run.images, run.faces, run.errors, run.messages, summary.seconds(), run.top.best(),
                        info.detector(), info.scorers(), run.skipped, run.belowMin, notes);
            } finally {
                for (ResultSink.Session s : sessions) {
                    s.close();
                }
            }
        }
    }

    private static String outputMode(Bound<ResultSink> sink) {
        Object mode = sink.props().get(ResultSink.OUTPUT);
        return mode == null ? ResultSink.OUTPUT_REPLACE : mode.toString();
    }

    private static boolean emptyFolder(Path p) {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private List<Bound<ResultSink>> sinks(List<String> names) {
        List<Bound<ResultSink>> r = new ArrayList<>();
        for (String n : names) {
            r.add(sinks.stream().filter(b -> n.equals(b.props().get(ResultSink.NAME))).max(Comparator.comparingInt(Bound::ranking))
                    .orElseThrow(() -> new KonomiException("no sink named " + n + "; installed: " + sinks.stream()
                            .map(b -> String.valueOf(b.props().get(ResultSink.NAME))).distinct().sorted().collect(Collectors.joining(", ")))));
        }
        return r;
    }

    /**
     * The sources that accept the location, highest {@code service.ranking} first, as one source whose
     * {@code open} tries them in that order: one that finds the location is another kind
     * ({@link WrongSourceException}) hands it to the next.
     */
    private ImageSource source(String location) {
        List<Map.Entry<Map<String, Object>, ImageSource>> s = sources;
        List<ImageSource> accepting = (s == null ? List.<Map.Entry<Map<String, Object>, ImageSource>>of() : s).stream()
                .filter(e -> e.getValue().accepts(location))
                .sorted(Comparator.comparingInt((Map.Entry<Map<String, Object>, ImageSource> e) ->
                        e.getKey().get(org.osgi.framework.Constants.SERVICE_RANKING) instanceof Integer r ? r : 0).reversed())
                .map(Map.Entry::getValue).toList();
        if (accepting.isEmpty()) {
            throw new KonomiException(location + ": no image source understands this location");
        }
        return new ImageSource() {
            @Override
            public String name() {
                return accepting.get(0).name();
            }

            @Override
            public boolean accepts(String l) {
                return true;
            }

            @Override
            public Stream<SourceItem> open(String l) {
                for (int i = 0;; i++) {
                    try {
                        return accepting.get(i).open(l);
                    } catch (WrongSourceException e) {
                        if (i == accepting.size() - 1) {
                            throw e;
                        }
                    }
                }
            }
        };
    }

    /** Face crops (--faces: one per picture) scored together at most, so that networks see full batches. */
    static final int CHUNK_CROPS = 64;
    /** Pictures to detect faces in per chunk: their crops are scored together. */
    static final int CHUNK_PICTURES = 8;
    /** Decoded pixels a chunk holds at most (48 MB as BGR bytes), whatever the pictures' sizes. */
    static final long CHUNK_PIXELS = 16_000_000L;

    /** One run's state: counters and the bounded top N. */
    private static final class Run {
        final PipelineJob job;
        final RunInfo info;
        final Bound<FaceDetector> detector;
        final List<Bound<Scorer>> scorers;
        final ProgressListener listener;
        final Catalog catalog;
        final TopN<RankedImage> top;
        final List<String> messages = new ArrayList<>();
        final long t0 = System.nanoTime();
        /** Records chunks into the catalog; the chunk it is recording, delivered once recorded. */
        ExecutorService recorder;
        Future<?> recording;
        List<Pending> recorded;
        int total = -1, done, images, faces, errors, skipped, belowMin;

        Run(PipelineJob job, RunInfo info, Bound<FaceDetector> detector, List<Bound<Scorer>> scorers, ProgressListener listener,
            Catalog catalog) {
            this.job = job;
            this.info = info;
            this.detector = detector;
            this.scorers = scorers;
            this.listener = listener;
            this.catalog = catalog;
            this.top = new TopN<>(job.top(), RANKING);
        }

        double seconds() {
            return (System.nanoTime() - t0) / 1e9;
        }

        void processAll(Spliterator<SourceItem> it, List<ResultSink.Session> sessions) {
            try {
                if (catalog != null) {
                    // opening a catalog (its pool, schema check and hash index) took ~1.5 s on first use, which the
                    // second chunk waited for: now it overlaps loading the networks
                    recorder().submit(catalog::open);
                }
                if (job.newOnly()) {
                    // whether an item is new depends on the chunks before it being recorded: read it only then
                    chunks(it, chunk -> finish(chunk, sessions));
                } else {
                    readAhead(it, sessions);
                }
                deliverRecorded(sessions);
            } finally {
                if (recorder != null) {
                    // what is queued runs to its end (opening the catalog, a chunk's recording): H2 closes its file
                    // when the thread using it is interrupted
                    recorder.shutdown();
                }
            }
        }

        /** Reads and decodes the source's items and hands them on in chunks (the last one possibly empty). */
        private void chunks(Spliterator<SourceItem> it, java.util.function.Consumer<List<Pending>> next) {
            int most = job.facesGiven() ? CHUNK_CROPS : CHUNK_PICTURES;
            List<Pending> chunk = new ArrayList<>(most);
            long[] pixels = {0};
            while (it.tryAdvance(item -> {
                Pending p = prepare(item);
                chunk.add(p);
                pixels[0] += p.image == null ? 0 : (long) p.image.width() * p.image.height();
            })) {
                if (chunk.size() >= most || pixels[0] >= CHUNK_PIXELS) {
                    next.accept(new ArrayList<>(chunk));
                    chunk.clear();
                    pixels[0] = 0;
                }
            }
            next.accept(chunk);
        }

        /**
         * Reading and decoding on a thread of their own, one chunk ahead of the chunk being detected and scored: a
         * one-shot run decodes while the networks load and warm up, and a long one while they work. At most two
         * chunks wait decoded (each under {@link #CHUNK_PIXELS}), so memory stays bounded.
         */
        private void readAhead(Spliterator<SourceItem> it, List<ResultSink.Session> sessions) {
            java.util.concurrent.BlockingQueue<Object> ready = new java.util.concurrent.ArrayBlockingQueue<>(1);
            Object end = new Object();
            Thread reader = new Thread(() -> {
                try {
                    chunks(it, chunk -> {
                        try {
                            ready.put(chunk);
                        } catch (InterruptedException e) {
                            throw new Stopped();
                        }
                    });
                    ready.put(end);
                } catch (Stopped | InterruptedException e) {
                    // the run ended first (failed or interrupted): nothing to hand on
                } catch (Throwable e) { // a source failing ends the run with its error, as when read on the run's thread
                    try {
                        ready.put(e);
                    } catch (InterruptedException stopped) {
                        // the run ended first
                    }
                }
            }, "konomi-read");
            reader.setDaemon(true);
            reader.start();
            try {
                while (true) {
                    Object next = ready.take();
                    if (next == end) {
                        return;
                    }
                    if (next instanceof RuntimeException e) {
                        throw e;
                    }
                    if (next instanceof Error e) {
                        throw e;
                    }
                    if (next instanceof Throwable t) {
                        throw new KonomiException(job.location() + ": " + t, t);
                    }
                    @SuppressWarnings("unchecked") // only chunks, the end marker and failures are put
                    List<Pending> chunk = (List<Pending>) next;
                    finish(chunk, sessions);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KonomiException("interrupted while scoring " + job.location());
            } finally {
                // the source closes after this returns: its reader should have stopped (a read stuck on the network
                // is not waited for beyond a bound; the thread is a daemon)
                reader.interrupt();
                try {
                    reader.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Ends the reader thread when the run stopped taking chunks. */
        private static final class Stopped extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Stopped() {
                super(null, null, false, false);
            }
        }

        /** An item read and decoded, or already done with (skipped, or failed with its result). */
        private static final class Pending {
            final SourceItem item;
            Image image;
            /** Why it could not be read or decoded (counted as the run's error on the run's thread). */
            String failure;
            byte[] bytes;
            long hash;
            ImageResult failed;
            List<Face> found = List.of();
            List<List<Score>> perFace = List.of();
            ImageResult result;

            Pending(SourceItem item) {
                this.item = item;
            }
        }

        private Pending prepare(SourceItem item) {
            Pending p = new Pending(item);
            // seen before: not even read (a feed's old items cost nothing)
            if (job.newOnly() && catalog.seen(item.location())) {
                return p;
            }
            try {
                p.bytes = item.read();
                p.image = Images.decode(item.id(), p.bytes);
            } catch (IOException e) {
                p.failure = "cannot read: " + e.getMessage();
                return p;
            } catch (KonomiException e) {
                String m = e.getMessage();
                p.failure = m.startsWith(item.id() + ": ") ? m.substring(item.id().length() + 2) : m;
                return p;
            }
            p.hash = catalog == null ? 0 : PerceptualHash.of(p.image);
            if (job.newOnly() && catalog.duplicateOf(p.hash).isPresent()) {
                // a repost (resized, recompressed) of a picture seen before: remember its location, do no work
                catalog.record(sighting(item, p.image, p.bytes, p.hash, List.of()));
                p.image = null;
            }
            return p;
        }

        /** Detects and scores a chunk (all its crops in one call per scorer), then records and delivers in order. */
        private void finish(List<Pending> chunk, List<ResultSink.Session> sessions) {
            // a detector or scorer failure (bad configuration ...) is not the image's fault: it ends the run
            List<Image> crops = new ArrayList<>();
            for (Pending p : chunk) {
                if (p.failure != null) {
                    p.failed = failed(p.item, p.failure);
                }
                if (p.image != null) {
                    p.found = job.facesGiven() ? List.of(new Face(new Box(0, 0, p.image.width(), p.image.height()), 1.0))
                            : detector.service().detect(p.image);
                    for (Face f : p.found) {
                        crops.add(job.facesGiven() ? p.image
                                : Images.crop(p.image, Images.withMargin(f.box(), job.margin(), p.image.width(), p.image.height())));
                    }
                }
            }
            List<List<Score>> scores = new ArrayList<>(crops.size());
            for (int i = 0; i < crops.size(); i++) {
                scores.add(new ArrayList<>(scorers.size()));
            }
            if (!crops.isEmpty()) {
                for (Bound<Scorer> s : scorers) {
                    List<Score> r = s.service().score(crops);
                    if (r.size() != crops.size()) {
                        throw new KonomiException("scorer " + s.name() + " returned " + r.size() + " scores for " + crops.size() + " faces");
                    }
                    for (int i = 0; i < crops.size(); i++) {
                        scores.get(i).add(r.get(i));
                    }
                }
            }
            int at = 0;
            List<Sighting> sightings = new ArrayList<>(chunk.size());
            for (Pending p : chunk) {
                if (p.failed == null && p.image != null) {
                    p.perFace = scorers.isEmpty() ? List.of() : scores.subList(at, at + p.found.size());
                    at += p.found.size();
                    p.result = result(p.item, p.image, p.found, p.perFace);
                    if (catalog != null) {
                        sightings.add(sighting(p.item, p.image, p.bytes, p.hash, p.result.faces()));
                    }
                }
            }
            // the chunk recorded in one go, before the sinks see it (they ask the catalog whether a picture was sent
            // before); on a thread of its own while the next chunk is read and scored, unless the next chunk's
            // --new-only checks need this one recorded first
            deliverRecorded(sessions);
            if (!sightings.isEmpty()) {
                if (job.newOnly()) {
                    catalog.recordAll(sightings);
                } else {
                    recording = recorder().submit(() -> catalog.recordAll(sightings));
                    recorded = chunk;
                    return;
                }
            }
            deliver(chunk, sessions);
        }

        private ExecutorService recorder() {
            if (recorder == null) {
                recorder = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "konomi-catalog-record");
                    t.setDaemon(true);
                    return t;
                });
            }
            return recorder;
        }

        /** Waits for the chunk being recorded, then delivers it. */
        private void deliverRecorded(List<ResultSink.Session> sessions) {
            if (recording == null) {
                return;
            }
            try {
                recording.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KonomiException("interrupted while recording into the catalog");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new KonomiException("catalog: " + e.getCause(), e.getCause());
            } finally {
                recording = null;
            }
            List<Pending> chunk = recorded;
            recorded = null;
            deliver(chunk, sessions);
        }

        private void deliver(List<Pending> chunk, List<ResultSink.Session> sessions) {
            for (Pending p : chunk) {
                if (p.failed != null) {
                    deliver(p.failed, null, null, sessions);
                } else if (p.image == null) {
                    skip();
                } else {
                    done(p, sessions);
                }
            }
        }

        private void done(Pending p, List<ResultSink.Session> sessions) {
            ImageResult result = p.result;
            images++;
            faces += result.faces().size();
            top.offer(new RankedImage(p.item.id(), result.score(), result.faces().size(), result.label()));
            if (job.minScore() != null && (result.score() == null || result.score() < job.minScore())) {
                belowMin++;
                notify(result);
                return;
            }
            deliver(result, p.image, p.bytes, sessions);
        }

        private Sighting sighting(SourceItem item, Image image, byte[] bytes, long hash, List<FaceResult> faces) {
            return new Sighting(job.location(), item.location(), item.id(), hash, image.width(), image.height(), bytes.length, faces,
                    info.scorers(), info.detector(), Instant.now());
        }

        private void skip() {
            skipped++;
            done++;
            if (listener != null) {
                listener.progress(new Progress(done, total, faces, errors, seconds()));
            }
        }

        private ImageResult failed(SourceItem item, String message) {
            errors++;
            if (messages.size() < PipelineSummary.MAX_MESSAGES) {
                messages.add(item.id() + ": " + message);
            }
            return ImageResult.failed(item.id(), item.location(), message);
        }

        private void deliver(ImageResult result, Image image, byte[] bytes, List<ResultSink.Session> sessions) {
            for (ResultSink.Session s : sessions) {
                s.accept(result, image, bytes);
            }
            notify(result);
        }

        private void notify(ImageResult result) {
            done++;
            if (listener != null) {
                listener.result(result);
                listener.progress(new Progress(done, total, faces, errors, seconds()));
            }
        }

        private ImageResult result(SourceItem item, Image image, List<Face> found, List<List<Score>> perFace) {
            List<FaceResult> faceResults = new ArrayList<>(found.size());
            int best = -1;
            for (int i = 0; i < found.size(); i++) {
                List<Score> scores = perFace.isEmpty() ? List.of() : perFace.get(i);
                faceResults.add(new FaceResult(found.get(i), scores));
                if (!scores.isEmpty() && (best < 0 || scores.get(0).value() > perFace.get(best).get(0).value())) {
                    best = i;
                }
            }
            Double score = best < 0 ? null : perFace.get(best).get(0).value();
            // the label shown is the first classifier's verdict on the best face, whichever scorer ranks
            String label = best < 0 ? null : perFace.get(best).stream().map(Score::label).filter(l -> l != null).findFirst().orElse(null);
            return new ImageResult(item.id(), item.location(), image.width(), image.height(), faceResults, score, label, null);
        }
    }
}
