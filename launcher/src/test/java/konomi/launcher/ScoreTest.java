package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** score:run with the shipped preference and character scorers, in a real framework. */
class ScoreTest extends FrameworkTest {
    static final Path HOLO = TestShell.SHARED.resolve("data/anime_faces_holoen20");

    /** These figures are the cascade's: pin it (whatever the default detector is). */
    @org.junit.jupiter.api.BeforeAll
    static void cascade() throws Exception {
        useCascade();
    }

    @Test
    void scoresRealIllustrationsIntoJsonCsvAndHtml(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        TestShell.Result r = shell.run("score:run --scorer preference,character --out " + out + " " + DetectionTest.PLAIN);
        assertThat(r.status()).as(r.message()).isZero();
        assertThat(r.out()).contains("rank", "preference", "12 images, 23 faces, 0 errors");
        String json = Files.readString(out.resolve("results.json"));
        assertThat(json).startsWith("{\"run\": {").contains("\"detector\":{\"name\":\"animeface\"", "\"name\":\"preference\"",
                "\"name\":\"character\"", "\"box\":[69,41,153,125]", "\"probabilities\":{");
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv.get(0)).isEqualTo("file,face,x1,y1,x2,y2,confidence,preference,character_label,character_p");
        assertThat(csv).hasSize(24);
        assertThat(csv.get(1).split(",")).hasSize(10);
        double preference = Double.parseDouble(csv.get(1).split(",")[7]);
        assertThat(preference).isBetween(1.0, 5.0);
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("data:image/jpeg;base64,", "<svg", "class=\"box\"", "jonathonyan_detect_04.jpg");
        assertThat(Files.list(out).map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("results.json", "results.csv", "report.html");
    }

    @Test
    void facesModeNamesTheCharacterOfMostCrops(@TempDir Path crops) throws Exception {
        // the last two crops (by name) of every character; most are in the model's held-back splits or not
        int n = 0;
        for (Path dir : Files.list(HOLO).filter(Files::isDirectory).sorted().toList()) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.sorted().toList();
            }
            for (Path f : files.subList(files.size() - 2, files.size())) {
                Files.copy(f, crops.resolve(dir.getFileName() + "__" + f.getFileName()));
                n++;
            }
        }
        Path out = crops.resolve("out");
        TestShell.Result r = shell.run("score:run --faces --scorer character --out " + out + " " + crops);
        assertThat(r.status()).as(r.message()).isZero();
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        long right = rows.stream().skip(1).filter(l -> l.split("__")[0].equals(l.split(",")[7])).count();
        System.out.printf("[score:run --faces] %d of %d crops named right%n", right, n);
        assertThat(rows).hasSize(n + 1);
        assertThat((double) right / n).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void corruptImagesAreListedAndAnExistingOutputIsNotTouched(@TempDir Path tmp) throws Exception {
        Path pics = Files.createDirectories(tmp.resolve("pics"));
        Files.copy(DetectionTest.PLAIN.resolve("jonathonyan_detect_03.jpg"), pics.resolve("good.jpg"));
        Files.writeString(pics.resolve("broken.png"), "nope");
        Path out = tmp.resolve("out");
        TestShell.Result r = shell.run("score:run --out " + out + " " + pics);
        assertThat(r.status()).as(r.message()).isZero();
        assertThat(r.err()).contains("error broken.png: not a readable image");
        assertThat(r.out()).contains("1 images", "1 errors");
        assertThat(Files.readString(out.resolve("results.json"))).contains("{\"file\":\"broken.png\",\"error\":\"not a readable image");
        assertThat(Files.readString(out.resolve("report.html"))).contains("broken.png: not a readable image");

        String before = Files.readString(out.resolve("results.csv"));
        TestShell.Result again = shell.run("score:run --out " + out + " " + pics);
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.message()).isEqualTo(out + ": already exists (use --force to write into it, or another --out)");
        assertThat(out.resolve("results.csv")).hasContent(before);
    }

    @Test
    void unknownScorerNamesTheInstalledOnes() {
        TestShell.Result r = shell.run("score:run --scorer taste " + DetectionTest.PLAIN);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.message()).startsWith("no scorer named taste; installed: character, preference");
    }

    @Test
    void sinksAreChosenByNameAndAnUnknownOneNamesTheInstalledOnes(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("csv-only");
        TestShell.Result r = shell.run("score:run --sink csv --out " + out + " " + DetectionTest.PLAIN.resolve("jonathonyan_detect_03.jpg"));
        assertThat(r.status()).as(r.message()).isZero();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("results.csv");
        }
        TestShell.Result bad = shell.run("score:run --sink json,discord --out " + tmp.resolve("x") + " " + DetectionTest.PLAIN);
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.message()).isEqualTo("no sink named discord; installed: boxes, csv, folder, html, json, labels, slack");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void aHugePngIsRefusedFromItsHeaderAndTheRunGoesOn(@TempDir Path tmp) throws Exception {
        Path pics = Files.createDirectories(tmp.resolve("pics"));
        Files.copy(DetectionTest.PLAIN.resolve("jonathonyan_detect_03.jpg"), pics.resolve("good.jpg"));
        Files.write(pics.resolve("huge.png"), HugePng.uniform(20000, 20000));
        TestShell.Result r = shell.run("score:run -q --out " + tmp.resolve("out") + " " + pics);
        assertThat(r.status()).as(r.message()).isZero();
        assertThat(r.err()).contains("error huge.png: image too large (20000x20000, 400 megapixels; the limit is 100 megapixels and 16384 pixels a side)");
        assertThat(r.out()).contains("1 images", "1 errors");
    }

    @Test
    void tablesCanBePlainRowsForScripts() {
        TestShell.Result r = shell.run("score:list --no-format");
        assertThat(r.status()).as(r.message()).isZero();
        assertThat(r.out().lines().toList()).isNotEmpty().allMatch(l -> l.split("\t").length == 4)
                .anyMatch(l -> l.startsWith("preference\tregression\t")).noneMatch(l -> l.startsWith("name") || l.startsWith("-"));
    }

    @Test
    void helpListsKonomisCommandsFirstAndShowsOneCommandsOptions() {
        TestShell.Result r = shell.run("help");
        assertThat(r.status()).as(r.message()).isZero();
        assertThat(r.out()).containsPattern("(?m)^  score:run\\s+rank the images of a folder, web page, feed or URL list by their faces$")
                .contains("detect:use", "konomi:info", "felix:help").doesNotContain("cm:getConfiguration");
        TestShell.Result one = shell.run("help score:run");
        assertThat(one.status()).as(one.message()).isZero();
        assertThat(one.out()).contains("--sink", "--no-format", "what to score: a folder or image, an http(s) page or RSS/Atom feed URL");
    }
}
