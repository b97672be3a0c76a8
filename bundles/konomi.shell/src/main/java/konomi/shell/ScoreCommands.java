package konomi.shell;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.api.pipeline.Pipeline;
import konomi.api.pipeline.PipelineJob;
import konomi.api.pipeline.PipelineSummary;
import konomi.api.pipeline.RankedImage;
import konomi.api.pipeline.ScorerChoice;

/** {@code score:run} and {@code score:list}: parse, call the pipeline or the scorer choice, print. */
@Component(service = ScoreCommands.class, property = {"osgi.command.scope=score", "osgi.command.function=run",
        "osgi.command.function=list"})
public class ScoreCommands {
    @Reference
    private Pipeline pipeline;
    @Reference
    private ScorerChoice scorers;

    @Descriptor("rank the images of a folder, web page, feed or URL list by their faces: detect faces (active detector), crop each with a margin, score "
            + "it with the chosen scorers; an image's score is its best face's score from the first scorer. Writes "
            + "results.json, results.csv and report.html into --out (default: a new konomi-<time> folder)")
    public void run(
            @Descriptor("scorers, comma separated; the first one ranks") @Parameter(names = {"-s", "--scorer"}, absentValue = "preference") String scorer,
            @Descriptor("output folder; an existing one is refused without --force") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("write into an existing --out folder") @Parameter(names = {"-f", "--force"}, absentValue = "false", presentValue = "true") boolean force,
            @Descriptor("every image is already a face crop: no detection") @Parameter(names = {"--faces"}, absentValue = "false", presentValue = "true") boolean faces,
            @Descriptor("rows in the ranked table and images on the contact sheet") @Parameter(names = {"-n", "--top"}, absentValue = "20") int top,
            @Descriptor("margin added around each face box, as a fraction of its size") @Parameter(names = {"--margin"}, absentValue = "0.25") double margin,
            @Descriptor("where results go, comma separated: json, csv, html (report files in --out), slack (a post per image, "
                    + "never the same picture twice), folder:DIR (copies of the images); none for nothing") @Parameter(names = {"--sink"}, absentValue = "json,csv,html") String sink,
            @Descriptor("skip images the catalog has seen: the same URL or file, or the same picture resized or recompressed")
            @Parameter(names = {"--new-only"}, absentValue = "false", presentValue = "true") boolean newOnly,
            @Descriptor("send sinks only images whose score is at least this (images without a face are left out)")
            @Parameter(names = {"--min-score"}, absentValue = "") String minScore,
            @Descriptor("also write YOLO text labels of the detected faces into this folder (as detect:run --labels)")
            @Parameter(names = {"-l", "--labels"}, absentValue = "") String labels,
            @Descriptor("detector to use for this run (default: the active one, see detect:list)") @Parameter(names = {"-d", "--detector"}, absentValue = "") String detector,
            @Descriptor("no progress bar") @Parameter(names = {"-q", "--quiet"}, absentValue = "false", presentValue = "true") boolean quiet,
            @Descriptor("table as tab-separated rows without header, for scripts") @Parameter(names = {"--no-format"}, absentValue = "false", presentValue = "true") boolean noFormat,
            @Descriptor("what to score: a folder or image, an http(s) page or RSS/Atom feed URL, or a .urls file of URLs") String folder) {
        List<String> scorerNames = Args.names(scorer);
        if (scorerNames.isEmpty()) {
            throw new IllegalArgumentException("--scorer needs at least one scorer name (score:list shows them)");
        }
        Map<String, Path> sinkOutputs = new LinkedHashMap<>();
        List<String> sinks = new ArrayList<>();
        for (String s : sink.equals("none") ? List.<String>of() : Args.names(sink)) {
            // name:ARG gives that sink its own output (folder:DIR)
            int colon = s.indexOf(':');
            String name = colon < 0 ? s : s.substring(0, colon);
            if (colon >= 0) {
                if (colon == s.length() - 1) {
                    throw new IllegalArgumentException("--sink " + s + ": the folder after ':' is missing");
                }
                sinkOutputs.put(name, Path.of(s.substring(colon + 1)));
            }
            sinks.add(name);
        }
        if (!labels.isEmpty()) {
            if (!sinks.contains(DetectCommands.LABELS_SINK)) {
                sinks.add(DetectCommands.LABELS_SINK);
            }
            sinkOutputs.put(DetectCommands.LABELS_SINK, Path.of(labels));
        }
        Double min = minScore.isEmpty() ? null : TrainArgs.number("--min-score", minScore);
        Path dir = Path.of(out.isEmpty() ? "konomi-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) : out);
        PipelineJob job = new PipelineJob(folder, scorerNames, detector.isEmpty() ? null : detector, faces, margin, sinks, dir, force, top,
                sinkOutputs).withNewOnly(newOnly).withMinScore(min);
        PrintStream stdout = System.out;
        ProgressLine progress = ProgressLine.forTerminal(quiet);
        PipelineSummary s;
        try {
            s = pipeline.run(job, progress);
        } finally {
            progress.done();
        }
        Table t = new Table("rank", "file", s.scorers().get(0).name(), "faces", "label");
        int rank = 1;
        for (RankedImage r : s.top()) {
            t.row(rank++, r.id(), r.score() == null ? "-" : String.format(Locale.ROOT, "%.3f", r.score()), r.faces(), r.label());
        }
        t.print(stdout, !noFormat);
        stdout.printf(Locale.ROOT, "%d images, %d faces, %d errors in %.2f s (%.1f images/s, %.1f faces/s)%s%s%n", s.images(), s.faces(),
                s.errors(), s.seconds(), s.imagesPerSecond(), s.facesPerSecond(),
                newOnly ? String.format(Locale.ROOT, "; %d seen before, skipped", s.skipped()) : "",
                min == null ? "" : String.format(Locale.ROOT, "; %d below --min-score %s, not sent", s.belowMin(), minScore));
        s.notes().forEach(stdout::println);
        List<String> inDir = sinks.stream().filter(n -> dir.equals(job.outputOf(n))).toList();
        // a sink that writes no files (slack) leaves --out alone
        if (!inDir.isEmpty() && Files.isDirectory(dir)) {
            stdout.println("wrote " + dir.toAbsolutePath() + " (" + String.join(", ", inDir) + ")");
        }
        if (!labels.isEmpty()) {
            stdout.println("wrote labels into " + Path.of(labels).toAbsolutePath());
        }
        s.messages().forEach(e -> System.err.println("error " + e));
        if (s.errors() > s.messages().size()) {
            System.err.println("error ... and " + (s.errors() - s.messages().size()) + " more (results.json lists them all)");
        }
    }

    @Descriptor("list the installed scorers (a name resolves to its newest version)")
    public void list(
            @Descriptor("tab-separated rows without header, for scripts") @Parameter(names = {"--no-format"}, absentValue = "false", presentValue = "true") boolean noFormat) {
        Table t = new Table("name", "type", "version", "from");
        scorers.installed().forEach(m -> t.row(m.name(), m.type(), m.version(), m.bundle()));
        t.print(System.out, !noFormat);
    }
}
