package konomi.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import konomi.api.Box;
import konomi.api.Face;
import konomi.imaging.boxes.DetectionMetrics;

/**
 * What a detector evaluation reports, computed from labelled boxes and the detections down to the AP floor: the
 * figures (the same as training's {@code metrics.json}, by {@link DetectionRun#figures}), the precision-recall curve at
 * IoU 0.5, the worst misses and the worst false alarms at the operating threshold.
 *
 * @param metrics     ap50, ap30, recall and precision at the model's threshold, the same at the asked threshold if any,
 *                    pictures, faces, detections at the operating threshold
 * @param curve       every detection, most confident first, with the curve's point after it (IoU 0.5)
 * @param operating   the threshold the pictures are drawn at (the asked one, else the model's)
 * @param misses      labelled faces no detection at the operating threshold found, worst first
 * @param falseAlarms detections matching no face, most confident first
 */
record DetectionReport(Map<String, Double> metrics, List<DetectionMetrics.Ranked> curve, double operating, List<Miss> misses,
                       List<DetectionMetrics.Ranked> falseAlarms) {

    /**
     * A labelled face not found at the operating threshold.
     *
     * @param image      the picture's id
     * @param truth      the face's box
     * @param best       the highest confidence of any detection overlapping it with IoU >= 0.5 (below the threshold), or 0
     * @param nearby     detections overlapping the face at all, most confident first (at most 3)
     */
    record Miss(String image, Box truth, double best, List<Face> nearby) {
    }

    /**
     * @param truth     labelled boxes by picture id
     * @param found     detections by picture id, down to {@link DetectionRun#AP_FLOOR}
     * @param model     the model's tuned threshold
     * @param asked     another threshold to report (and draw the pictures at), if any
     * @param top       at most this many misses and false alarms
     */
    static DetectionReport of(Map<String, List<Box>> truth, Map<String, List<Face>> found, double model, OptionalDouble asked, int top) {
        Map<String, Double> m = new LinkedHashMap<>(DetectionRun.figures(truth, found, model));
        m.put("threshold", model);
        if (asked.isPresent()) {
            Map<String, Double> at = DetectionRun.figures(truth, found, asked.getAsDouble());
            String t = "@" + trim(asked.getAsDouble());
            m.put("recall" + t, at.get("recall"));
            m.put("precision" + t, at.get("precision"));
        }
        double operating = asked.orElse(model);
        m.put("pictures", (double) truth.size());
        m.put("faces", (double) truth.values().stream().mapToInt(List::size).sum());
        m.put("detections", (double) found.values().stream().mapToLong(l -> l.stream().filter(f -> f.confidence() >= operating).count()).sum());
        DetectionMetrics at50 = DetectionMetrics.of(truth, found, 0.5);

        List<Miss> misses = new ArrayList<>();
        truth.forEach((image, boxes) -> {
            List<Face> all = found.getOrDefault(image, List.of());
            List<Face> kept = all.stream().filter(f -> f.confidence() >= operating).toList();
            for (Box b : DetectionMetrics.missed(boxes, kept, 0.5)) {
                double best = all.stream().filter(f -> f.box().iou(b) >= 0.5).mapToDouble(Face::confidence).max().orElse(0);
                List<Face> nearby = all.stream().filter(f -> f.box().iou(b) > 0).sorted(Comparator.comparingDouble(Face::confidence).reversed())
                        .limit(3).toList();
                misses.add(new Miss(image, b, best, nearby));
            }
        });
        // worst first: nothing near it at all, then the largest faces (the easiest to see), then by name for a stable order
        misses.sort(Comparator.comparingDouble(Miss::best).thenComparing(Comparator.comparingLong((Miss x) -> area(x.truth())).reversed())
                .thenComparing(Miss::image));
        List<DetectionMetrics.Ranked> alarms = at50.ranked().stream().filter(r -> !r.truePositive()).limit(top).toList();
        return new DetectionReport(m, at50.ranked(), operating, List.copyOf(misses.subList(0, Math.min(top, misses.size()))), alarms);
    }

    /** The curve's point at a threshold: recall and precision of the detections at or above it ({0, 1} when there are none). */
    double[] pointAt(double threshold) {
        double[] p = {0, 1};
        for (DetectionMetrics.Ranked r : curve) {
            if (r.face().confidence() < threshold) {
                break;
            }
            p = new double[] {r.recall(), r.precision()};
        }
        return p;
    }

    private static long area(Box b) {
        return (long) b.width() * b.height();
    }

    static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
