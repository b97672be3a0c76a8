package konomi.detect.cascade;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.imaging.Images;

/**
 * One cascade model. Confidence comes from the number of raw windows merged into a detection
 * (OpenCV's neighbour count): {@code 1 - exp(-n / 8)}, so more agreeing windows rank higher.
 */
final class CascadeFaceDetector implements FaceDetector {
    private final String name;
    private final CascadeClassifier classifier;
    private final Supplier<CascadeParams> params;
    private boolean closed; // guarded by classifier

    CascadeFaceDetector(String name, CascadeClassifier classifier, Supplier<CascadeParams> params) {
        this.name = name;
        this.classifier = classifier;
        this.params = params;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Face> detect(Image image) {
        CascadeParams p = params.get();
        List<Face> faces = new ArrayList<>();
        try (Mat src = Images.toMat(image); Mat grey = new Mat(); RectVector rects = new RectVector();
             Size min = new Size(p.minSize(), p.minSize()); Size max = new Size(p.maxSize(), p.maxSize())) {
            if (image.channels() == 3) {
                cvtColor(src, grey, COLOR_BGR2GRAY);
            } else {
                src.copyTo(grey);
            }
            if (p.equalizeHist()) {
                equalizeHist(grey, grey);
            }
            int[] neighbours;
            // CascadeClassifier keeps per-call buffers: one detection at a time per model
            synchronized (classifier) {
                // a run may still hold a detector whose bundle went away: say so instead of JavaCPP's NULL pointer
                if (closed) {
                    throw new KonomiException("detector " + name + " was unloaded");
                }
                try (IntPointer n = new IntPointer()) {
                    classifier.detectMultiScale2(grey, rects, n, p.scaleFactor(), Math.max(1, p.minNeighbors()), 0, min, max);
                    neighbours = new int[(int) rects.size()];
                    if (neighbours.length > 0) {
                        n.get(neighbours);
                    }
                }
            }
            for (int i = 0; i < neighbours.length; i++) {
                Rect r = rects.get(i);
                int x1 = Math.max(0, r.x()), y1 = Math.max(0, r.y());
                int x2 = Math.min(image.width(), r.x() + r.width()), y2 = Math.min(image.height(), r.y() + r.height());
                faces.add(new Face(new Box(x1, y1, x2, y2), confidence(neighbours[i])));
                r.close();
            }
        }
        faces.sort(Comparator.comparingDouble(Face::confidence).reversed());
        return faces;
    }

    static double confidence(int neighbours) {
        return 1 - Math.exp(-neighbours / 8.0);
    }

    void close() {
        synchronized (classifier) {
            closed = true;
            classifier.close();
        }
    }
}
