package konomi.sink.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.csv.CSVPrinter;
import org.osgi.service.component.annotations.Component;

import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.sink.FaceResult;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ResultSink;
import konomi.api.sink.RunInfo;
import konomi.api.sink.RunSummary;
import konomi.util.AtomicFile;

/**
 * Detections as {@code file,x1,y1,x2,y2,confidence} rows in original pixels ({@code detect:run --out faces.csv}):
 * written to the run's output when it names a {@code .csv} file, else to {@code boxes.csv} in the output folder.
 */
@Component(property = ResultSink.NAME + "=boxes")
public class BoxesSink implements ResultSink {
    static final String FILE = "boxes.csv";

    @Override
    public Session open(RunInfo run) {
        if (run.output() == null) {
            throw new KonomiException("the boxes sink needs an output file or folder (--out)");
        }
        Path out = run.output();
        Path target = !Files.isDirectory(out) && out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
                ? out : Output.folder(run, "boxes").resolve(FILE);
        AtomicFile file = new AtomicFile(target, run.force());
        try {
            CSVPrinter csv = new CSVPrinter(file.writer(), CsvSink.FORMAT);
            csv.printRecord("file", "x1", "y1", "x2", "y2", "confidence");
            return new Session() {
                @Override
                public void accept(ImageResult result, Image image) {
                    try {
                        for (FaceResult f : result.faces()) {
                            csv.printRecord(result.id(), f.face().box().x1(), f.face().box().y1(), f.face().box().x2(),
                                    f.face().box().y2(), Output.fixed(f.face().confidence()));
                        }
                    } catch (IOException e) {
                        throw new KonomiException(file.target() + ": cannot write: " + e.getMessage(), e);
                    }
                }

                @Override
                public void complete(RunSummary summary) {
                    file.commit();
                }

                @Override
                public void close() {
                    file.close();
                }
            };
        } catch (IOException e) {
            file.close();
            throw new KonomiException(file.target() + ": cannot write: " + e.getMessage(), e);
        }
    }
}
