package konomi.shell;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.api.pipeline.DetectionEvalOptions;
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
    /** The result sink that writes YOLO text labels (konomi.sink.report). */
    static final String LABELS_SINK = "labels";

    @Reference
    private Pipeline pipeline;
    @Reference
    private DetectorEvaluator evaluator;
    @Reference
    private DetectorChoice detectors;

    @Descriptor("find anime faces in every image of a folder (recursive): prints file, face count and boxes "
            + "(x1,y1,x2,y2@confidence in original pixels); --out writes file,x1,y1,x2,y2,confidence rows; --labels writes "
            + "YOLO text labels to correct and train on")
    public void run(
            @Descriptor("CSV file to write, one row per face; refuses to replace an existing file without --force")
            @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("folder to write YOLO labels into: <stem>.txt per image under its relative folder, '0 cx cy w h' "
                    + "per face (normalised), empty for no face; e.g. pics/labels, which detect:eval and train:run read back")
            @Parameter(names = {"-l", "--labels"}, absentValue = "") String labels,
            @Descriptor("replace an existing --out file, write into an existing --labels folder")
            @Parameter(names = {"-f", "--force"}, absentValue = "false", presentValue = "true") boolean force,
            @Descriptor("tab-separated rows without header, for scripts")
            @Parameter(names = {"--no-format"}, absentValue = "false", presentValue = "true") boolean noFormat,
            @Descriptor("detector to use for this run (default: the active one, see detect:list)")
            @Parameter(names = {"-d", "--detector"}, absentValue = "") String detector,
            @Descriptor("folder (or single image) to read") String folder) {
        PrintStream stdout = System.out;
        Table table = new Table("file", "faces", "boxes");
        List<String> sinks = new ArrayList<>();
        if (!out.isEmpty()) {
            sinks.add("boxes");
        }
        if (!labels.isEmpty()) {
            sinks.add(LABELS_SINK);
        }
        PipelineJob job = new PipelineJob(folder, List.of(), detector.isEmpty() ? null : detector, false, PipelineJob.DEFAULT_MARGIN, sinks,
                out.isEmpty() ? null : Path.of(out), force, PipelineJob.DEFAULT_TOP,
                labels.isEmpty() ? Map.of() : Map.of(LABELS_SINK, Path.of(labels)));
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
        if (!labels.isEmpty()) {
            stdout.println("wrote " + s.images() + " label files into " + Path.of(labels).toAbsolutePath());
        }
        s.messages().forEach(e -> System.err.println("skipped " + e));
    }

    @Descriptor("measure detectors on labelled images (the folder's boxes.csv or YOLO labels/): recall and precision at each "
            + "detector's own settings matching boxes at IoU >= --iou, AP@0.5 and AP@0.3 over its confidence ranking, images/s "
            + "(decode and detect); with --detectors one row per detector")
    public void eval(
            @Descriptor("labelled boxes: a CSV with header file,x1,y1,x2,y2 or a folder with boxes.csv or labels/ (default: the folder itself)")
            @Parameter(names = {"-b", "--boxes"}, absentValue = "") String boxes,
            @Descriptor("detectors to compare, comma separated (detect:list; default: the active one)")
            @Parameter(names = {"-d", "--detectors"}, absentValue = "") String detectorNames,
            @Descriptor("IoU a detection needs to match a labelled box, for recall and precision")
            @Parameter(names = {"--iou"}, absentValue = "0.5") double iou,
            @Descriptor("tab-separated rows without header, for scripts")
            @Parameter(names = {"--no-format"}, absentValue = "false", presentValue = "true") boolean noFormat,
            @Descriptor("folder of labelled images") String folder) {
        List<String> names = Args.names(detectorNames);
        List<DetectionEvaluation> all = evaluator.evaluate(new DetectionEvalOptions(folder, boxes.isEmpty() ? null : Path.of(boxes),
                names, iou, DetectionEvalOptions.DEFAULT_AP_IOUS), null);
        String at = fixed(iou, 2);
        if (names.isEmpty()) {
            DetectionEvaluation m = all.get(0);
            Table t = new Table("metric", "value")
                    .row("detector", m.detector().name() + " " + m.detector().version())
                    .row("images", m.images())
                    .row("labelled faces", m.truths())
                    .row("detections", m.detections())
                    .row("true positives", m.truePositives())
                    .row("recall@" + at, fixed(m.recall(), 3))
                    .row("precision@" + at, fixed(m.precision(), 3))
                    .row("AP@" + at, fixed(m.ap(), 3));
            m.aps().stream().filter(a -> a.iou() != iou).forEach(a -> t.row("AP@" + fixed(a.iou(), 2), fixed(a.ap(), 3)));
            t.row("images/s", fixed(m.imagesPerSecond(), 1)).print(System.out, !noFormat);
        } else {
            List<String> header = new ArrayList<>(List.of("detector", "version", "images", "faces", "detections"));
            all.get(0).aps().forEach(a -> header.add("AP@" + fixed(a.iou(), 2)));
            header.addAll(List.of("recall@" + at, "precision@" + at, "images/s"));
            Table t = new Table(header.toArray(String[]::new));
            for (DetectionEvaluation m : all) {
                List<Object> row = new ArrayList<>(List.of(m.detector().name(), m.detector().version(), m.images(), m.truths(), m.detections()));
                m.aps().forEach(a -> row.add(fixed(a.ap(), 3)));
                row.addAll(List.of(fixed(m.recall(), 3), fixed(m.precision(), 3), fixed(m.imagesPerSecond(), 1)));
                t.row(row.toArray());
            }
            t.print(System.out, !noFormat);
        }
        all.get(0).messages().forEach(e -> System.err.println("skipped " + e));
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
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

    @Descriptor("make detect:run and score:run use the named detector, kept in etc/konomi.detect.cfg; 'auto' goes back to the default (centre if installed, else animeface, else yolo); "
            + "a run already going keeps the detector it started with")
    public void use(@Descriptor("detector name from detect:list, or auto") String name) {
        ModelRef m = detectors.use(name);
        System.out.println("detector " + m.name() + " " + m.version() + " active");
    }
}
