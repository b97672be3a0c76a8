package konomi.pipeline;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.api.Box;
import konomi.api.Face;
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
 * {@code detect:eval}: runs the pipeline with detection only and matches every detection to the labelled boxes.
 * Keeps the detections of all images (AP ranks them together); labelled sets are small.
 */
@Component(service = DetectorEvaluator.class)
public class Evaluator implements DetectorEvaluator {
    @Reference
    private Pipeline pipeline;

    @Override
    public DetectionEvaluation evaluate(String location, Path boxes, String detector, double iou, ProgressListener listener) {
        if (!(iou > 0 && iou <= 1)) {
            throw new konomi.api.KonomiException("--iou must be in (0, 1], not " + iou);
        }
        Map<String, List<Box>> truth = BoxLabels.read(boxes);
        // an image without labelled boxes has no faces: each of its detections is a false positive
        Map<String, List<Face>> found = new HashMap<>();
        PipelineJob job = new PipelineJob(location, List.of(), detector, false, PipelineJob.DEFAULT_MARGIN, List.of(), null, false, 1);
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
        DetectionMetrics m = DetectionMetrics.of(truth, found, iou);
        return new DetectionEvaluation(s.detector(), s.images(), m.truths(), m.detections(), m.truePositives(), m.recall(),
                m.precision(), m.ap(), iou, s.messages());
    }
}
