package konomi.sink.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
 * {@code results.json}: {@code {"run": {...}, "images": [...]}}, the run (models, options, counts) first, then
 * every image with its faces (box, detector confidence, scores, label probabilities) or its error. Images are
 * streamed to a hidden temporary file as they come; on completion the run header and that file become
 * results.json in one atomic step.
 */
@Component(property = ResultSink.NAME + "=json")
public class JsonSink implements ResultSink {
    static final String FILE = "results.json";
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public Session open(RunInfo run) {
        Path folder = Output.folder(run, "json");
        if (Files.exists(folder.resolve(FILE)) && !run.force()) {
            throw new KonomiException(folder.resolve(FILE) + ": already exists (use --force to replace it)");
        }
        try {
            Path images = Files.createTempFile(folder, "." + FILE + ".images", ".tmp");
            OutputStream out = Files.newOutputStream(images);
            JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8);
            g.writeStartArray();
            return new JsonSession(run, folder.resolve(FILE), images, g);
        } catch (IOException e) {
            throw new KonomiException(folder + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static final class JsonSession implements Session {
        private final RunInfo run;
        private final Path target, images;
        private final JsonGenerator g;

        JsonSession(RunInfo run, Path target, Path images, JsonGenerator g) {
            this.run = run;
            this.target = target;
            this.images = images;
            this.g = g;
        }

        @Override
        public void accept(ImageResult r, Image image) {
            try {
                g.writeStartObject();
                g.writeStringField("file", r.id());
                if (r.failed()) {
                    g.writeStringField("error", r.error());
                    g.writeEndObject();
                    return;
                }
                g.writeNumberField("width", r.width());
                g.writeNumberField("height", r.height());
                if (r.score() != null) {
                    g.writeNumberField("score", Output.round(r.score()));
                } else {
                    g.writeNullField("score");
                }
                g.writeArrayFieldStart("faces");
                for (FaceResult f : r.faces()) {
                    g.writeStartObject();
                    g.writeArrayFieldStart("box");
                    g.writeNumber(f.face().box().x1());
                    g.writeNumber(f.face().box().y1());
                    g.writeNumber(f.face().box().x2());
                    g.writeNumber(f.face().box().y2());
                    g.writeEndArray();
                    g.writeNumberField("confidence", Output.round(f.face().confidence()));
                    g.writeObjectFieldStart("scores");
                    for (Score s : f.scores()) {
                        g.writeObjectFieldStart(s.scorer());
                        g.writeNumberField("value", Output.round(s.value()));
                        if (s.label() != null) {
                            g.writeStringField("label", s.label());
                            g.writeObjectFieldStart("probabilities");
                            for (Map.Entry<String, Double> e : s.probabilities().entrySet()) {
                                g.writeNumberField(e.getKey(), Output.round(e.getValue()));
                            }
                            g.writeEndObject();
                        }
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            } catch (IOException e) {
                throw new KonomiException(images + ": cannot write: " + e.getMessage(), e);
            }
        }

        @Override
        public void complete(RunSummary summary) {
            try {
                g.writeEndArray();
                g.close();
                try (AtomicFile file = new AtomicFile(target, run.force()); InputStream in = Files.newInputStream(images)) {
                    file.writer().write("{\"run\": " + header(summary) + ",\n\"images\": ");
                    file.writer().flush();
                    in.transferTo(file.stream()); // UTF-8 bytes as Jackson wrote them
                    file.stream().write("}\n".getBytes(StandardCharsets.UTF_8));
                    file.commit();
                }
            } catch (IOException e) {
                throw new KonomiException(target + ": cannot write: " + e.getMessage(), e);
            }
        }

        private String header(RunSummary s) throws IOException {
            StringWriter w = new StringWriter();
            try (JsonGenerator h = JSON.createGenerator(w)) {
                h.writeStartObject();
                h.writeStringField("started", run.started().toString());
                h.writeStringField("finished", Instant.now().toString());
                h.writeStringField("source", run.source());
                h.writeBooleanField("faces_given", run.facesGiven());
                if (run.detector() != null) {
                    h.writeObjectFieldStart("detector");
                    h.writeStringField("name", run.detector().name());
                    h.writeStringField("version", run.detector().version());
                    h.writeEndObject();
                }
                h.writeArrayFieldStart("scorers");
                for (ModelRef m : run.scorers()) {
                    h.writeStartObject();
                    h.writeStringField("name", m.name());
                    h.writeStringField("version", m.version());
                    h.writeStringField("type", m.type());
                    h.writeEndObject();
                }
                h.writeEndArray();
                h.writeObjectFieldStart("options");
                h.writeNumberField("margin", run.margin());
                h.writeNumberField("top", run.top());
                h.writeStringField("image_score", "best face, first scorer");
                h.writeEndObject();
                h.writeNumberField("images", s.images());
                h.writeNumberField("faces", s.faces());
                h.writeNumberField("errors", s.errors());
                h.writeNumberField("seconds", Output.round(s.seconds()));
                h.writeNumberField("images_per_s", Output.round(s.imagesPerSecond()));
                h.writeEndObject();
            }
            return w.toString();
        }

        @Override
        public void close() {
            try {
                g.close();
                Files.deleteIfExists(images);
            } catch (IOException ignored) {
                // a temporary file of a run that is over; nothing was promised for it
            }
        }
    }
}
