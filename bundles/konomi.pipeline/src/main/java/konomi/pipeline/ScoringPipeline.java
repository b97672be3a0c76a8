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

/**
 * The pipeline: streams the source one image at a time (decode, detect or take the image as the face, crop with
 * a margin, score the crops with every scorer) and hands each result to the chosen sinks at once. It keeps only
 * counters, the first {@link PipelineSummary#MAX_MESSAGES} error lines and the top N for the table, so memory
 * does not grow with the number of images. Detector and scorers are bound once, when the run starts.
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
        List<ResultSink> chosenSinks = sinks(job.sinks());
        List<Bound<Scorer>> chosenScorers = job.scorers().isEmpty() ? List.of() : scorers.resolve(job.scorers());
        Bound<FaceDetector> detector = job.facesGiven() ? null : detectors.resolve(job.detector());
        ImageSource source = source(job.location());
        if (!job.force()) {
            for (String sink : job.sinks()) {
                Path out = job.outputOf(sink);
                if (out != null && Files.exists(out)) {
                    throw new KonomiException(out + ": already exists (use --force to "
                            + (Files.isDirectory(out) ? "write into it" + (out.equals(job.output()) ? ", or another --out)" : ")") : "replace it)"));
                }
            }
        }
        RunInfo info = new RunInfo(job.location(), job.output(), job.force(), job.facesGiven(), detector == null ? null : detector.ref(),
                chosenScorers.stream().map(Bound::ref).toList(), job.margin(), job.top(), Instant.now());
        Run run = new Run(job, info, detector, chosenScorers, listener);
        // the source first: a missing folder fails before any sink creates files
        try (Stream<SourceItem> items = source.open(job.location())) {
            Spliterator<SourceItem> it = items.spliterator();
            run.total = (int) Math.min(Integer.MAX_VALUE, it.getExactSizeIfKnown());
            List<ResultSink.Session> sessions = new ArrayList<>();
            try {
                for (int i = 0; i < chosenSinks.size(); i++) {
                    Path out = job.outputOf(job.sinks().get(i));
                    // a sink with an output of its own sees it as the run's output
                    sessions.add(chosenSinks.get(i).open(out == info.output() ? info : new RunInfo(info.source(), out, info.force(),
                            info.facesGiven(), info.detector(), info.scorers(), info.margin(), info.top(), info.started())));
                }
                while (it.tryAdvance(item -> run.process(item, sessions))) {
                    // one image per step
                }
                RunSummary summary = new RunSummary(run.images, run.faces, run.errors, run.seconds());
                for (ResultSink.Session s : sessions) {
                    s.complete(summary);
                }
                return new PipelineSummary(run.images, run.faces, run.errors, run.messages, summary.seconds(), run.top.best(),
                        info.detector(), info.scorers());
            } finally {
                for (ResultSink.Session s : sessions) {
                    s.close();
                }
            }
        }
    }

    private List<ResultSink> sinks(List<String> names) {
        List<ResultSink> r = new ArrayList<>();
        for (String n : names) {
            r.add(sinks.stream().filter(b -> n.equals(b.props().get(ResultSink.NAME))).max(Comparator.comparingInt(Bound::ranking))
                    .map(Bound::service)
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

    /** One run's state: counters and the bounded top N. */
    private static final class Run {
        final PipelineJob job;
        final RunInfo info;
        final Bound<FaceDetector> detector;
        final List<Bound<Scorer>> scorers;
        final ProgressListener listener;
        final TopN<RankedImage> top;
        final List<String> messages = new ArrayList<>();
        final long t0 = System.nanoTime();
        int total = -1, done, images, faces, errors;

        Run(PipelineJob job, RunInfo info, Bound<FaceDetector> detector, List<Bound<Scorer>> scorers, ProgressListener listener) {
            this.job = job;
            this.info = info;
            this.detector = detector;
            this.scorers = scorers;
            this.listener = listener;
            this.top = new TopN<>(job.top(), RANKING);
        }

        double seconds() {
            return (System.nanoTime() - t0) / 1e9;
        }

        void process(SourceItem item, List<ResultSink.Session> sessions) {
            Image image = null;
            ImageResult result;
            try {
                image = Images.decode(item.id(), item.read());
            } catch (IOException e) {
                result = failed(item, "cannot read: " + e.getMessage());
                deliver(result, null, sessions);
                return;
            } catch (KonomiException e) {
                String m = e.getMessage();
                result = failed(item, m.startsWith(item.id() + ": ") ? m.substring(item.id().length() + 2) : m);
                deliver(result, null, sessions);
                return;
            }
            // a detector or scorer failure (bad configuration ...) is not the image's fault: it ends the run
            result = score(item, image);
            images++;
            faces += result.faces().size();
            top.offer(new RankedImage(item.id(), result.score(), result.faces().size(), result.label()));
            deliver(result, image, sessions);
        }

        private ImageResult failed(SourceItem item, String message) {
            errors++;
            if (messages.size() < PipelineSummary.MAX_MESSAGES) {
                messages.add(item.id() + ": " + message);
            }
            return ImageResult.failed(item.id(), item.location(), message);
        }

        private void deliver(ImageResult result, Image image, List<ResultSink.Session> sessions) {
            done++;
            for (ResultSink.Session s : sessions) {
                s.accept(result, image);
            }
            if (listener != null) {
                listener.result(result);
                listener.progress(new Progress(done, total, faces, errors, seconds()));
            }
        }

        private ImageResult score(SourceItem item, Image image) {
            List<Face> found = job.facesGiven() ? List.of(new Face(new Box(0, 0, image.width(), image.height()), 1.0))
                    : detector.service().detect(image);
            List<List<Score>> perFace = new ArrayList<>(found.size());
            if (!found.isEmpty() && !scorers.isEmpty()) {
                List<Image> crops = new ArrayList<>(found.size());
                for (Face f : found) {
                    crops.add(job.facesGiven() ? image
                            : Images.crop(image, Images.withMargin(f.box(), job.margin(), image.width(), image.height())));
                }
                for (int i = 0; i < found.size(); i++) {
                    perFace.add(new ArrayList<>(scorers.size()));
                }
                for (Bound<Scorer> s : scorers) {
                    List<Score> scores = s.service().score(crops);
                    if (scores.size() != crops.size()) {
                        throw new KonomiException("scorer " + s.name() + " returned " + scores.size() + " scores for " + crops.size() + " faces");
                    }
                    for (int i = 0; i < found.size(); i++) {
                        perFace.get(i).add(scores.get(i));
                    }
                }
            }
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
