package konomi.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.pipeline.DetectionEvalOptions;
import konomi.api.pipeline.DetectionEvaluation;
import konomi.api.pipeline.DetectorEvaluator;
import konomi.api.pipeline.Pipeline;
import konomi.api.pipeline.PipelineJob;
import konomi.api.pipeline.PipelineSummary;
import konomi.api.pipeline.Progress;
import konomi.api.pipeline.ProgressListener;
import konomi.api.sink.FaceResult;
import konomi.api.sink.ImageResult;
import konomi.imaging.boxes.BoxLabels;
import konomi.imaging.boxes.DetectionMetrics;

/**
 * {@code detect:eval}: one detection-only pipeline pass per detector, every detection matched to the labelled
 * boxes; the AP at each threshold comes from the same detections. Keeps the detections of all images (AP ranks
 * them together); labelled sets are small.
 */
@Component(service = DetectorEvaluator.class)
public class Evaluator implements DetectorEvaluator {
    @Reference
    private Pipeline pipeline;
    @Reference
    private Detectors detectors;

    @Override
    public List<DetectionEvaluation> evaluate(DetectionEvalOptions options, ProgressListener listener) {
        Map<String, List<Box>> truth = BoxLabels.read(options.labels() == null ? Path.of(options.location()) : options.labels());
        // every name is checked before the first pass: an unknown one fails at once, listing the installed ones
        List<String> names = options.detectors().isEmpty() ? Collections.singletonList(null) : options.detectors();
        for (String name : names) {
            detectors.resolve(name);
        }
        List<DetectionEvaluation> result = new ArrayList<>(names.size());
        for (String name : names) {
            result.add(evaluate(options, truth, name, listener));
        }
        return result;
    }

    private DetectionEvaluation evaluate(DetectionEvalOptions options, Map<String, List<Box>> truth, String detector,
                                         ProgressListener listener) {
        // an image without labelled boxes has no faces: each of its detections is a false positive
        Map<String, List<Face>> found = new HashMap<>();
        PipelineJob job = new PipelineJob(options.location(), List.of(), detector, false, PipelineJob.DEFAULT_MARGIN, List.of(), null,
                false, 1);
        PipelineSummary s = pipeline.run(job, new ProgressListener() {
            @Override
            public void progress(Progress progress) {
                if (listener != null) {
                    listener.progress(progress);
                }
            }

            @Override
            public void result(ImageResult result) {
                if (!result.failed()) {
                    found.put(result.id(), result.faces().stream().map(FaceResult::face).toList());
                }
                if (listener != null) {
                    listener.result(result);
                }
            }
        });
        return of(s, truth, found, options);
    }

    /** The figures of one pass: recall, precision and AP at the options' IoU, AP at each of its AP thresholds. */
    static DetectionEvaluation of(PipelineSummary s, Map<String, List<Box>> truth, Map<String, List<Face>> found,
                                  DetectionEvalOptions options) {
        DetectionMetrics m = DetectionMetrics.of(truth, found, options.iou());
        List<DetectionEvaluation.ApAt> aps = new ArrayList<>();
        for (double iou : options.apIous()) {
            aps.add(new DetectionEvaluation.ApAt(iou, iou == options.iou() ? m.ap() : DetectionMetrics.of(truth, found, iou).ap()));
        }
        return new DetectionEvaluation(s.detector(), s.images(), m.truths(), m.detections(), m.truePositives(), m.recall(),
                m.precision(), m.ap(), options.iou(), aps, s.seconds(), s.messages());
    }
}
