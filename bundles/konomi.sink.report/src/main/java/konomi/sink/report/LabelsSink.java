package konomi.sink.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import konomi.api.Box;
import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ResultSink;
import konomi.api.sink.RunInfo;
import konomi.api.sink.RunSummary;
import konomi.imaging.boxes.BoxLabels;
import konomi.util.AtomicFile;

/**
 * YOLO text labels of the detections ({@code detect:run --labels DIR}), for a user to correct and train on: one
 * {@code <stem>.txt} per image read, in the run's output folder under the image's relative folder
 * ({@code sub/a.jpg} → {@code DIR/sub/a.txt}), {@code 0 cx cy w h} per face normalised to the image size
 * ({@link BoxLabels#yolo}), an empty file for an image without faces; no file for an image that could not be read.
 * With {@code DIR = <dataset>/labels}, {@link BoxLabels#read} reads them back. Each file is written atomically as
 * its image is done, so a run that stops keeps the labels of the images done; nothing is written outside DIR.
 */
@Component(property = ResultSink.NAME + "=labels")
public class LabelsSink implements ResultSink {

    @Override
    public Session open(RunInfo run) {
        Path dir = Output.folder(run, "labels").toAbsolutePath().normalize();
        boolean replace = run.force();
        return new Session() {
            /** label file → the image it was written for, to refuse two images with one stem (a.jpg, a.png) */
            private final Map<Path, String> written = new HashMap<>();

            @Override
            public void accept(ImageResult result, Image image) {
                if (result.failed()) {
                    return;
                }
                Path target = target(dir, result.id());
                String before = written.putIfAbsent(target, result.id());
                if (before != null) {
                    throw new KonomiException(target + ": " + before + " and " + result.id() + " would share this label file; rename one");
                }
                List<Box> boxes = result.faces().stream().map(f -> f.face().box()).toList();
                try {
                    Files.createDirectories(target.getParent());
                    try (AtomicFile file = new AtomicFile(target, replace)) {
                        file.writer().write(BoxLabels.yolo(boxes, result.width(), result.height()));
                        file.commit();
                    }
                } catch (IOException e) {
                    throw new KonomiException(target + ": cannot write: " + e.getMessage(), e);
                }
            }

            @Override
            public void complete(RunSummary summary) {
            }

            @Override
            public void close() {
            }
        };
    }

    /** {@code dir/<id without extension>.txt}, refused when the id would lead outside {@code dir}. */
    static Path target(Path dir, String id) {
        String rel = id.replace('\\', '/');
        int slash = rel.lastIndexOf('/');
        String txt = rel.substring(0, slash + 1) + BoxLabels.stem(rel.substring(slash + 1)) + ".txt";
        Path target = rel.startsWith("/") ? null : dir.resolve(txt).normalize();
        if (target == null || !target.startsWith(dir) || target.equals(dir)) {
            throw new KonomiException(id + ": its label file would lie outside " + dir);
        }
        return target;
    }
}
