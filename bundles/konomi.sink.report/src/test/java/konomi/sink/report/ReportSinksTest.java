package konomi.sink.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.Image;
import konomi.api.Score;
import konomi.api.sink.FaceResult;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ModelRef;
import konomi.api.sink.ResultSink;
import konomi.api.sink.RunInfo;
import konomi.api.sink.RunSummary;

class ReportSinksTest {
    static final List<ModelRef> SCORERS = List.of(new ModelRef("preference", "1.0.0", "regression", "konomi.model.preference"),
            new ModelRef("character", "1.0.0", "classification", "konomi.model.character"));

    static RunInfo run(Path out, int top) {
        return new RunInfo("pics/", out, false, false, new ModelRef("animeface", "1.0.0", "cascade", "konomi.model.animeface"), SCORERS,
                0.25, top, Instant.parse("2026-12-01T00:00:00Z"));
    }

    /** Image i: two faces for even i, none for odd; preference 1 + i/100 on the first face. */
    static ImageResult result(int i) {
        if (i % 2 == 1) {
            return new ImageResult("odd" + i + ".jpg", URI.create("file:/odd" + i), 64, 48, List.of(), null, null, null);
        }
        FaceResult a = new FaceResult(new Face(new Box(1, 2, 30, 31), 0.875), List.of(new Score("preference", 1 + i / 100.0, null, null),
                new Score("character", 0.75, "ame", Map.of("ame", 0.75, "gura", 0.25))));
        FaceResult b = new FaceResult(new Face(new Box(32, 2, 60, 30), 0.5), List.of(new Score("preference", 1, null, null),
                new Score("character", 0.5, "gura, \"the shark\"", Map.of("gura, \"the shark\"", 0.5, "ame", 0.5))));
        return new ImageResult("dir/even" + i + ".jpg", URI.create("file:/even" + i), 64, 48, List.of(a, b), 1 + i / 100.0, "ame", null);
    }

    static Image image() {
        return new Image("x", 64, 48, 3, new byte[64 * 48 * 3]);
    }

    static void feed(ResultSink sink, RunInfo info, int n) {
        try (ResultSink.Session s = sink.open(info)) {
            for (int i = 0; i < n; i++) {
                s.accept(result(i), image());
            }
            s.accept(ImageResult.failed("broken.png", URI.create("file:/broken.png"), "not a readable image <x>"), null);
            s.complete(new RunSummary(n, n, 1, 2.5));
        }
    }

    @Test
    void jsonHasTheRunFirstThenEveryImageWithFacesScoresAndErrors(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        feed(new JsonSink(), run(out, 5), 4);
        String text = Files.readString(out.resolve("results.json"));
        assertThat(text).startsWith("{\"run\": {");
        JsonNode j = new ObjectMapper().readTree(text);
        assertThat(j.at("/run/detector/name").asText()).isEqualTo("animeface");
        assertThat(j.at("/run/scorers/1/type").asText()).isEqualTo("classification");
        assertThat(j.at("/run/images").asInt()).isEqualTo(4);
        assertThat(j.at("/run/errors").asInt()).isEqualTo(1);
        assertThat(j.get("images")).hasSize(5);
        assertThat(j.at("/images/2/faces/0/box").toString()).isEqualTo("[1,2,30,31]");
        assertThat(j.at("/images/2/score").asDouble()).isEqualTo(1.02);
        assertThat(j.at("/images/2/faces/0/scores/character/probabilities/gura").asDouble()).isEqualTo(0.25);
        assertThat(j.at("/images/1/score").isNull()).isTrue();
        assertThat(j.at("/images/4/error").asText()).isEqualTo("not a readable image <x>");
        assertThat(Files.list(out)).hasSize(1); // the temporary images file is gone
    }

    @Test
    void csvHasOneRowPerFaceQuotedWhereNeeded(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        feed(new CsvSink(), run(out, 5), 4);
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertThat(rows).containsExactly(
                "file,face,x1,y1,x2,y2,confidence,preference,character_label,character_p",
                "dir/even0.jpg,0,1,2,30,31,0.8750,1.0000,ame,0.7500",
                "dir/even0.jpg,1,32,2,60,30,0.5000,1.0000,\"gura, \"\"the shark\"\"\",0.5000",
                "dir/even2.jpg,0,1,2,30,31,0.8750,1.0200,ame,0.7500",
                "dir/even2.jpg,1,32,2,60,30,0.5000,1.0000,\"gura, \"\"the shark\"\"\",0.5000");
    }

    @Test
    void boxesWritesTheNamedCsvFileAndNeverReplacesOneWithoutForce(@TempDir Path tmp) throws Exception {
        Path csv = tmp.resolve("faces.csv");
        feed(new BoxesSink(), run(csv, 5), 3);
        assertThat(Files.readAllLines(csv)).containsExactly("file,x1,y1,x2,y2,confidence", "dir/even0.jpg,1,2,30,31,0.8750",
                "dir/even0.jpg,32,2,60,30,0.5000", "dir/even2.jpg,1,2,30,31,0.8750", "dir/even2.jpg,32,2,60,30,0.5000");
        assertThatThrownBy(() -> new BoxesSink().open(run(csv, 5))).hasMessageContaining("faces.csv: already exists");
    }

    @Test
    void anUncompletedRunLeavesNoFiles(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        for (ResultSink sink : List.of(new JsonSink(), new CsvSink(), new HtmlSink())) {
            try (ResultSink.Session s = sink.open(run(out, 3))) {
                s.accept(result(0), image());
            }
        }
        assertThat(Files.list(out)).isEmpty();
    }

    @Test
    void htmlShowsOnlyTheTopImagesBestFirstWithAHistogramAndEscapedErrors(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        feed(new HtmlSink(), run(out, 3), 40);
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html.split("data:image/jpeg;base64,", -1)).hasSize(4); // three thumbnails
        assertThat(html.indexOf("dir/even38.jpg")).isPositive().isLessThan(html.indexOf("dir/even36.jpg"));
        assertThat(html.indexOf("dir/even36.jpg")).isLessThan(html.indexOf("dir/even34.jpg"));
        assertThat(html).doesNotContain("dir/even32.jpg").contains("<svg", "class=\"box\"", "preference score of each image (20 images)",
                "broken.png: not a readable image &lt;x&gt;", "gura, &quot;the shark&quot;");
    }

    @Test
    void histogramCountsEveryValueInFixedMemory() {
        Histogram h = new Histogram();
        java.util.Random rnd = new java.util.Random(1);
        double[] values = new double[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i == 0 ? 3.0 : 1 + 4 * rnd.nextDouble();
            h.add(values[i]);
        }
        long[] bins = h.bins(20);
        assertThat(java.util.Arrays.stream(bins).sum()).isEqualTo(100_000);
        double lo = h.min(), hi = h.max();
        long[] exact = new long[20];
        for (double v : values) {
            exact[Math.min(19, (int) ((v - lo) / (hi - lo) * 20))]++;
        }
        for (int i = 0; i < 20; i++) {
            // a fine bin is at most 1/256 of the range here: only values next to a boundary can land one bin off
            assertThat((double) Math.abs(bins[i] - exact[i])).isLessThan(0.02 * exact[i] + 10);
        }
    }
}
