package konomi.shell;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.api.pipeline.DetectionEvaluation;
import konomi.api.pipeline.DetectorChoice;
import konomi.api.pipeline.DetectorEvaluator;
import konomi.api.pipeline.Pipeline;
import konomi.api.pipeline.PipelineJob;
import konomi.api.pipeline.PipelineSummary;
import konomi.api.pipeline.Progress;
import konomi.api.pipeline.ProgressListener;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ModelRef;

/**
 * {@code detect:run}, {@code detect:eval}, {@code detect:list}, {@code detect:use}: parse, call the pipeline, the
 * evaluator or the detector choice, print.
 */
@Component(service = DetectCommands.class, property = {
        "osgi.command.scope=detect", "osgi.command.function=run", "osgi.command.function=list",
        "osgi.command.function=use", "osgi.command.function=eval"})
public class DetectCommands {
    @Reference
    private Pipeline pipeline;
    @Reference
    private DetectorEvaluator evaluator;
    @Reference
    private DetectorChoice detectors;

    @Descriptor("find anime faces in every image of a folder (recursive): prints file, face count and boxes "
            + "(x1,y1,x2,y2@confidence in original pixels); --out writes file,x1,y1,x2,y2,confidence rows")
    public void run(
            @Descriptor("CSV file to write, one row per face; refuses to replace an existing file without --force")
            @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("replace an existing --out file")
            @Parameter(names = {"-f", "--force"}, absentValue = "false", presentValue = "true") boolean force,
            @Descriptor("tab-separated rows without header, for scripts")
            @Parameter(names = {"--no-format"}, absentValue = "false", presentValue = "true") boolean noFormat,
            @Descriptor("folder (or single image) to read") String folder) {
        PrintStream stdout = System.out;
        Table table = new Table("file", "faces", "boxes");
        PipelineJob job = PipelineJob.detect(folder, out.isEmpty() ? List.of() : List.of("boxes"), out.isEmpty() ? null : Path.of(out), force);
        PipelineSummary s = pipeline.run(job, new ProgressListener() {
            @Override
            public void progress(Progress progress) {
            }

            @Override
            public void result(ImageResult r) {
                if (!r.failed()) {
                    table.row(r.id(), r.faces().size(), r.faces().stream()
                            .map(f -> f.face().box() + "@" + String.format(Locale.ROOT, "%.2f", f.face().confidence()))
                            .collect(Collectors.joining(" ")));
                }
            }
        });
        table.print(stdout, !noFormat);
        stdout.printf(Locale.ROOT, "%d images, %d faces, %d skipped in %.2f s (%.1f images/s), detector %s %s%n",
                s.images(), s.faces(), s.errors(), s.seconds(), s.imagesPerSecond(), s.detector().name(), s.detector().version());
        if (!out.isEmpty()) {
            stdout.println("wrote " + Path.of(out).toAbsolutePath());
        }
        s.messages().forEach(e -> System.err.println("skipped " + e));
    }

    @Descriptor("measure the active detector on labelled images: recall and precision at its settings, and AP "
            + "over its confidence ranking, matching boxes at IoU >= --iou")
    public void eval(
            @Descriptor("labelled boxes, CSV with header file,x1,y1,x2,y2 (default: <folder>/boxes.csv)")
            @Parameter(names = {"-b", "--boxes"}, absentValue = "") String boxes,
            @Descriptor("IoU a detection needs to match a labelled box")
            @Parameter(names = {"--iou"}, absentValue = "0.5") double iou,
            @Descriptor("tab-separated rows without header, for scripts")
            @Parameter(names = {"--no-format"}, absentValue = "false", presentValue = "true") boolean noFormat,
            @Descriptor("folder of labelled images") String folder) {
        DetectionEvaluation m = evaluator.evaluate(folder, boxes.isEmpty() ? Path.of(folder, "boxes.csv") : Path.of(boxes), null, iou, null);
        String at = String.format(Locale.ROOT, "%.2f", iou);
        new Table("metric", "value")
                .row("detector", m.detector().name() + " " + m.detector().version())
                .row("images", m.images())
                .row("labelled faces", m.truths())
                .row("detections", m.detections())
                .row("true positives", m.truePositives())
                .row("recall@" + at, String.format(Locale.ROOT, "%.3f", m.recall()))
                .row("precision@" + at, String.format(Locale.ROOT, "%.3f", m.precision()))
                .row("AP@" + at, String.format(Locale.ROOT, "%.3f", m.ap()))
                .print(System.out, !noFormat);
        m.messages().forEach(e -> System.err.println("skipped " + e));
    }

    @Descriptor("list the installed face detectors; * marks the one detect:run and score:run use")
    public void list(
            @Descriptor("tab-separated rows without header, for scripts")
            @Parameter(names = {"--no-format"}, absentValue = "false", presentValue = "true") boolean noFormat) {
        ModelRef active = detectors.active().orElse(null);
        Table t = new Table("", "name", "type", "version", "from");
        for (ModelRef m : detectors.installed()) {
            t.row(m.equals(active) ? "*" : "", m.name(), m.type(), m.version(), m.bundle());
        }
        t.print(System.out, !noFormat);
        if (active == null) {
            System.out.println(detectors.target().map(f -> "active detector " + f + " is not installed").orElse("no detector installed"));
        }
    }

    @Descriptor("make detect:run and score:run use the named detector, kept in etc/konomi.detect.cfg; 'auto' picks the newest installed; "
            + "a run already going keeps the detector it started with")
    public void use(@Descriptor("detector name from detect:list, or auto") String name) {
        ModelRef m = detectors.use(name);
        System.out.println("detector " + m.name() + " " + m.version() + " active");
    }
}
