package konomi.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.ImageSource;
import konomi.api.KonomiException;

/** {@code score:run} and {@code score:list}. */
@Component(service = ScoreCommands.class, property = {"osgi.command.scope=score", "osgi.command.function=run",
        "osgi.command.function=list"})
public class ScoreCommands {
    @Reference
    private DetectorSelection detectors;
    @Reference
    private ScorerSelection scorers;
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ImageSource> sources;

    @Descriptor("rank the images of a folder by their faces: detect faces (active detector), crop each with a margin, score "
            + "it with the chosen scorers; an image's score is its best face's score from the first scorer. Writes "
            + "results.json, results.csv and report.html into --out (default: a new konomi-<time> folder)")
    public void run(
            @Descriptor("scorers, comma separated; the first one ranks") @Parameter(names = {"-s", "--scorer"}, absentValue = "preference") String scorer,
            @Descriptor("output folder; an existing one is refused without --force") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("write into an existing --out folder") @Parameter(names = {"-f", "--force"}, absentValue = "false", presentValue = "true") boolean force,
            @Descriptor("every image is already a face crop: no detection") @Parameter(names = {"--faces"}, absentValue = "false", presentValue = "true") boolean faces,
            @Descriptor("rows in the ranked table and images on the contact sheet") @Parameter(names = {"-n", "--top"}, absentValue = "20") int top,
            @Descriptor("margin added around each face box, as a fraction of its size") @Parameter(names = {"--margin"}, absentValue = "0.25") double margin,
            @Descriptor("no progress bar") @Parameter(names = {"-q", "--quiet"}, absentValue = "false", presentValue = "true") boolean quiet,
            @Descriptor("folder (or single image) to score") String folder) throws IOException {
        if (top < 1 || margin < 0 || margin > 2) {
            throw new IllegalArgumentException("--top must be >= 1 and --margin between 0 and 2");
        }
        List<ScorerSelection.Bound> chosen = scorers.resolve(Arrays.stream(scorer.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        DetectorSelection.Bound detector = faces ? null : detectors.await();
        ImageSource source = (sources == null ? List.<ImageSource>of() : sources).stream().filter(s -> s.accepts(folder)).findFirst()
                .orElseThrow(() -> new KonomiException(folder + ": no image source understands this location"));
        Path dir = Path.of(out.isEmpty() ? "konomi-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) : out);
        if (Files.exists(dir) && !force) {
            throw new KonomiException(dir + ": already exists (use --force to write into it, or another --out)");
        }
        PrintStream stdout = System.out;
        PrintStream progress = quiet || System.console() == null ? null : System.err;
        ScoreRun run = new ScoreRun(new ScoreRun.Options(folder, chosen, detector, faces, dir, top, margin, 240, progress));
        long t0 = System.nanoTime();
        List<ScoreRun.Summary> ranked = run.run(source);
        double secs = (System.nanoTime() - t0) / 1e9;
        Table t = new Table("rank", "file", chosen.get(0).name(), "faces", "label");
        for (int i = 0; i < Math.min(top, ranked.size()); i++) {
            ScoreRun.Summary s = ranked.get(i);
            t.row(i + 1, s.id(), s.faces() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", s.score()), s.faces(), s.label());
        }
        t.print(stdout);
        stdout.printf(Locale.ROOT, "%d images, %d faces, %d errors in %.2f s (%.1f images/s, %.1f faces/s)%n", ranked.size(),
                run.faceCount(), run.errors().size(), secs, ranked.size() / secs, run.faceCount() / secs);
        stdout.println("wrote " + dir.toAbsolutePath() + "/{results.json,results.csv,report.html}");
        run.errors().forEach(e -> System.err.println("error " + e));
    }

    @Descriptor("list the installed scorers (a name resolves to its newest version)")
    public void list() {
        Table t = new Table("name", "type", "version", "from");
        scorers.all().forEach(b -> t.row(b.name(), b.type(), b.version(), b.props().get("konomi.model.bundle")));
        t.print(System.out);
    }
}
