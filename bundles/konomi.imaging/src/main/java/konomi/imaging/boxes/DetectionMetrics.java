package konomi.imaging.boxes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import konomi.api.Box;
import konomi.api.Face;

/**
 * Detection quality against labelled boxes, PASCAL VOC style: detections of all images are ranked by
 * confidence, each is a true positive when it overlaps a not yet matched truth box of its image with
 * IoU >= the threshold; AP is the area under the interpolated precision/recall curve (all points).
 *
 * @param truths        labelled boxes
 * @param detections    detections given
 * @param truePositives detections matched to a labelled box
 * @param recall        share of labelled boxes found
 * @param precision     share of detections that are faces
 * @param ap            average precision
 * @param ranked        every detection, most confident first, with whether it matched
 */
public record DetectionMetrics(int truths, int detections, int truePositives, double recall, double precision, double ap,
                               List<Ranked> ranked) {

    /** One detection in the ranking; {@code recall}/{@code precision} are the curve's point after it. */
    public record Ranked(String image, Face face, boolean truePositive, double recall, double precision) {
    }

    public static DetectionMetrics of(Map<String, List<Box>> truth, Map<String, List<Face>> found, double iouThreshold) {
        record Det(String image, Face face) {
        }
        List<Det> dets = new ArrayList<>();
        found.forEach((img, faces) -> faces.forEach(f -> dets.add(new Det(img, f))));
        // ties broken by image name, so the result does not depend on map order (the sort is stable within an image)
        dets.sort(Comparator.comparingDouble((Det d) -> d.face.confidence()).reversed().thenComparing(Det::image));
        int n = truth.values().stream().mapToInt(List::size).sum();
        Set<String> matched = new HashSet<>();
        double[] precision = new double[dets.size()], recall = new double[dets.size()];
        boolean[] hit = new boolean[dets.size()];
        int tp = 0;
        for (int i = 0; i < dets.size(); i++) {
            Det d = dets.get(i);
            List<Box> boxes = truth.getOrDefault(d.image, List.of());
            int best = -1;
            double bestIou = iouThreshold;
            for (int j = 0; j < boxes.size(); j++) {
                double iou = boxes.get(j).iou(d.face.box());
                if (iou >= bestIou && !matched.contains(d.image + "#" + j)) {
                    best = j;
                    bestIou = iou;
                }
            }
            if (best >= 0) {
                matched.add(d.image + "#" + best);
                tp++;
                hit[i] = true;
            }
            precision[i] = (double) tp / (i + 1);
            recall[i] = n == 0 ? 0 : (double) tp / n;
        }
        List<Ranked> ranked = new ArrayList<>(dets.size());
        for (int i = 0; i < dets.size(); i++) {
            ranked.add(new Ranked(dets.get(i).image, dets.get(i).face, hit[i], recall[i], precision[i]));
        }
        // interpolated precision: the best precision at this recall or beyond (one backward pass)
        for (int i = dets.size() - 2; i >= 0; i--) {
            precision[i] = Math.max(precision[i], precision[i + 1]);
        }
        double ap = 0, prevRecall = 0;
        for (int i = 0; i < dets.size(); i++) {
            ap += (recall[i] - prevRecall) * precision[i];
            prevRecall = recall[i];
        }
        return new DetectionMetrics(n, dets.size(), tp, n == 0 ? 0 : (double) tp / n,
                dets.isEmpty() ? 0 : (double) tp / dets.size(), ap, List.copyOf(ranked));
    }

    /** The labelled boxes of one image that no detection of it overlaps with IoU >= the threshold (misses). */
    public static List<Box> missed(List<Box> truth, List<Face> found, double iouThreshold) {
        List<Box> missed = new ArrayList<>();
        for (Box t : truth) {
            if (found.stream().noneMatch(f -> f.box().iou(t) >= iouThreshold)) {
                missed.add(t);
            }
        }
        return missed;
    }
}
