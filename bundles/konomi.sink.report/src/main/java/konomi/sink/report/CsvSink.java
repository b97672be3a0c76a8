package konomi.sink.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.osgi.service.component.annotations.Component;

import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.Score;
import konomi.api.sink.FaceResult;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ModelRef;
import konomi.api.sink.ResultSink;
import konomi.api.sink.RunInfo;
import konomi.api.sink.RunSummary;
import konomi.util.AtomicFile;

/**
 * {@code results.csv}: one row per face, {@code file,face,x1,y1,x2,y2,confidence} then per scorer its value (a
 * classifier: {@code <name>_label,<name>_p}). Rows are written as results come, into a temporary file that
 * becomes results.csv when the run completes.
 */
@Component(property = ResultSink.NAME + "=csv")
public class CsvSink implements ResultSink {
    static final String FILE = "results.csv";
    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build();

    @Override
    public Session open(RunInfo run) {
        AtomicFile file = new AtomicFile(Output.folder(run, "csv").resolve(FILE), run.force());
        try {
            CSVPrinter csv = new CSVPrinter(file.writer(), FORMAT);
            List<String> header = new ArrayList<>(List.of("file", "face", "x1", "y1", "x2", "y2", "confidence"));
            for (ModelRef s : run.scorers()) {
                if (s.classifier()) {
                    header.add(s.name() + "_label");
                    header.add(s.name() + "_p");
                } else {
                    header.add(s.name());
                }
            }
            csv.printRecord(header);
            return new CsvSession(file, csv);
        } catch (IOException e) {
            file.close();
            throw new KonomiException(file.target() + ": cannot write: " + e.getMessage(), e);
        }
    }

    private record CsvSession(AtomicFile file, CSVPrinter csv) implements Session {
        @Override
        public void accept(ImageResult result, Image image) {
            try {
                for (int i = 0; i < result.faces().size(); i++) {
                    FaceResult f = result.faces().get(i);
                    List<Object> row = new ArrayList<>(List.of(result.id(), i, f.face().box().x1(), f.face().box().y1(),
                            f.face().box().x2(), f.face().box().y2(), Output.fixed(f.face().confidence())));
                    for (Score s : f.scores()) {
                        if (s.label() != null) {
                            row.add(s.label());
                        }
                        row.add(Output.fixed(s.value()));
                    }
                    csv.printRecord(row);
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
    }
}
