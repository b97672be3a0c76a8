package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A detector trained from the command line on 24 real labelled pictures (2 epochs at 128 px, with a weight average),
 * killed during its second epoch and resumed by the same command (the average too); then eval:run on the run: the curve, the worst cases, and the same AP@0.5 as
 * training measured on the same test pictures.
 */
class DetectorEvalTest extends FrameworkTest {
    static final Path BOXES = TestShell.SHARED.resolve("data/anime_face_boxes");

    @TempDir
    static Path work;

    /** The first 24 labelled pictures of anime_face_boxes, linked into a temporary dataset: 16 train, 4 val, 4 test. */
    static Path smallBoxes() throws IOException {
        Path ds = work.resolve("boxes");
        Files.createDirectories(ds.resolve("images"));
        Map<String, List<String>> rows = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(BOXES.resolve("boxes.csv"));
        for (String l : lines.subList(1, lines.size())) {
            String file = l.substring(0, l.indexOf(','));
            if (rows.size() < 24 || rows.containsKey(file)) {
                rows.computeIfAbsent(file, k -> new ArrayList<>()).add(l);
            }
        }
        List<String> boxes = new ArrayList<>(List.of(lines.get(0))), split = new ArrayList<>(List.of("file,part"));
        int i = 0;
        for (Map.Entry<String, List<String>> e : rows.entrySet()) {
            Files.createSymbolicLink(ds.resolve(e.getKey()), BOXES.resolve(e.getKey()));
            boxes.addAll(e.getValue());
            split.add(e.getKey() + "," + (i < 16 ? "train" : i < 20 ? "val" : "test"));
            i++;
        }
        Files.write(ds.resolve("boxes.csv"), boxes);
        Files.write(ds.resolve("split.csv"), split);
        return ds;
    }

    @Test
    void killedDuringEpochTwoResumesThenEvaluatesTheSameApAsTraining() throws Exception {
        Path ds = smallBoxes(), run = Files.createDirectories(work.resolve("run")), procHome = Files.createDirectories(work.resolve("home"));
        List<String> cmd = List.of(Path.of("konomi").toAbsolutePath().toString(), "--home", procHome.toString(), "train:run", "--task", "detect",
                "--out", run.toString(), "--epochs", "2", "--size", "128", "--batch", "8", "--ema", "0.9", ds.toString());
        Path log1 = work.resolve("train1.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log1.toFile()).start();
        try {
            // epoch 1's progress line comes right after its state.json is written (atomically); epoch 2 is then under way
            ServeTest.await(work, () -> Files.readString(log1).contains("epoch   1/2") || !p.isAlive(), "epoch 1's progress line");
            assertThat(p.isAlive()).as(Files.readString(log1)).isTrue();
            p.destroyForcibly();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(Files.readString(log1)).contains("epoch   1/2").doesNotContain("epoch   2/2");
        assertThat(Files.readString(run.resolve("state.json"))).containsPattern("\"epoch\" ?: ?1\\b");
        assertThat(run.resolve("metrics.json")).doesNotExist();
        assertThat(run.resolve("average.zip")).as("the weight average, kept for the resumed run").exists();

        Path log2 = work.resolve("train2.out");
        Process again = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log2.toFile()).start();
        assertThat(again.waitFor(300, TimeUnit.SECONDS)).as("the resumed run finishes").isTrue();
        String out2 = Files.readString(log2);
        assertThat(again.exitValue()).as(out2).isZero();
        assertThat(out2).contains("resuming after epoch 1", "epoch   2/2").containsPattern("epoch 2 validation ap50 [0-9.]+; without the average [0-9.]+")
                .doesNotContain("epoch   1/2");
        assertThat(Files.readString(run.resolve("metrics.json"))).containsPattern("\"ema\" ?: ?0\\.9\\b");
        assertThat(run.resolve("metrics.json")).exists();
        String split = Files.readString(run.resolve("split.json"));
        assertThat(split).contains("images/Anime_21.jpg", "images/Anime_24.jpg");

        // eval:run on the run: exactly its 4 test pictures, the figures training measured on them
        Path ev = work.resolve("ev");
        TestShell.Result e = shell.run("eval:run --out " + ev + " " + run + " " + ds);
        assertThat(e.status()).as(e.message()).isZero();
        assertThat(e.out()).contains("evaluating the run's recorded test part: 4 pictures (parts of " + ds.resolve("split.csv") + ")")
                .containsPattern("ap50\\s+[0-9.]+").containsPattern("pictures\\s+4\\b").contains("images_per_s", "wrote " + ev.resolve("eval.json"));
        String eval = Files.readString(ev.resolve("eval.json"));
        String trainedTest = after(Files.readString(run.resolve("metrics.json")), "\"test\" : {");
        String evaluated = after(eval, "\"metrics\" : {");
        for (String m : List.of("ap50", "ap30", "recall", "precision")) {
            assertThat(number(evaluated, m)).as(m).isEqualTo(number(trainedTest, m));
        }
        assertThat(Files.readAllLines(ev.resolve("pr.csv")).get(0)).isEqualTo("confidence,recall,precision");
        assertThat(Files.size(ev.resolve("pr.png"))).isGreaterThan(1000);
        int misses = count(eval, "\"picture\" : \"misses/"), alarms = count(eval, "\"picture\" : \"false-alarms/");
        assertThat(misses).as("a 2-epoch detector misses faces").isPositive();
        assertThat(alarms).as("... and raises false alarms").isPositive();
        assertThat(jpgs(ev.resolve("misses"))).isEqualTo(misses);
        assertThat(jpgs(ev.resolve("false-alarms"))).isEqualTo(alarms);
        assertThat(Files.readString(ev.resolve("index.html"))).contains("Worst misses", "Worst false alarms", "src=\"pr.png\"",
                "src=\"misses/01.jpg\"", "src=\"false-alarms/01.jpg\"");

        // another labelled folder, all of it, with a threshold of our own
        Path plain = TestShell.SHARED.resolve("data/anime_illustrations_plain");
        TestShell.Result all = shell.run("eval:run --split all --threshold 0.05 --top 3 --out " + work.resolve("ev-plain") + " " + run + " " + plain);
        assertThat(all.status()).as(all.message()).isZero();
        assertThat(all.out()).containsPattern("pictures\\s+11\\b").containsPattern("faces\\s+31\\b").contains("recall@0.05", "precision@0.05");
        assertThat(jpgs(work.resolve("ev-plain/misses"))).isBetween(1, 3);

        // a dataset that lost a recorded test picture is refused in one line
        Path lost = Files.createDirectories(work.resolve("lost"));
        Files.write(lost.resolve("boxes.csv"), Files.readAllLines(ds.resolve("boxes.csv")).stream().filter(l -> !l.startsWith("images/Anime_24.jpg,")).toList());
        Files.createSymbolicLink(lost.resolve("images"), ds.resolve("images"));
        TestShell.Result refused = shell.run("eval:run --out " + work.resolve("ev-lost") + " " + run + " " + lost);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.message()).isEqualTo(lost + ": does not match the run's recorded split " + run.resolve("split.json")
                + ": 1 of 4 recorded test pictures missing or unlabelled (first images/Anime_24.jpg)");
    }

    private static int jpgs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(f -> f.toString().endsWith(".jpg")).count();
        }
    }

    private static int count(String text, String what) {
        return (int) Pattern.compile(Pattern.quote(what)).matcher(text).results().count();
    }

    private static String after(String text, String marker) {
        assertThat(text).contains(marker);
        return text.substring(text.indexOf(marker) + marker.length());
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\" : ([-0-9.Ee]+)").matcher(json);
        assertThat(m.find()).as(key).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
