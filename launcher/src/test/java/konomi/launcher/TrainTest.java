package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on small real subsets (seconds, not a full run): curves, checkpoints, resume, metrics; then the
 * result packed as a model bundle, hot-deployed into the running shell, replaced by a newer one, and used
 * by score:run. Broken scorer bundles are reported.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainTest extends FrameworkTest {
    @TempDir
    static Path work;

    /** 3 characters x 16 crops, copied from ../shared into a temporary dataset. */
    static Path smallDataset() throws Exception {
        Path ds = work.resolve("ds");
        if (Files.exists(ds)) {
            return ds;
        }
        for (String c : List.of("gura", "ina", "kiara")) {
            Path dir = Files.createDirectories(ds.resolve(c));
            try (Stream<Path> s = Files.list(ScoreTest.HOLO.resolve(c))) {
                for (Path f : s.sorted().limit(16).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        Files.writeString(ds.resolve("gura/corrupt.jpg"), "not a picture");
        return ds;
    }

    @Test
    @Order(1)
    void trainsAClassifierWritesItsCurveAndResumes() throws Exception {
        Path out = work.resolve("cls");
        TestShell.Result r = shell.run("train:run --out " + out + " --epochs 2 --size 32 --batch 16 --test 0.2 --val 0.2 " + smallDataset());
        assertThat(r.status()).as(r.message() + r.out()).isZero();
        assertThat(r.out()).contains("classification, 49 images", "skipped gura/corrupt.jpg", "epoch   1/2", "epoch   2/2", "img/s", "ETA");
        for (String f : List.of("model.zip", "model.json", "train.csv", "metrics.json", "checkpoint.zip", "state.json")) {
            assertThat(out.resolve(f)).exists();
        }
        assertThat(Files.readAllLines(out.resolve("train.csv"))).hasSize(3).first().asString().startsWith("epoch,train_loss,val_loss,val_accuracy");
        String metrics = Files.readString(out.resolve("metrics.json"));
        assertThat(metrics).contains("\"seed\" : 42", "\"test_confusion\"", "\"accuracy\"", "gura/corrupt.jpg");

        TestShell.Result more = shell.run("train:run --out " + out + " --epochs 3 --size 32 --batch 16 --test 0.2 --val 0.2 " + smallDataset());
        assertThat(more.status()).as(more.message()).isZero();
        assertThat(more.out()).contains("resuming after epoch 2").contains("epoch   3/3").doesNotContain("epoch   1/3");
        assertThat(Files.readAllLines(out.resolve("train.csv"))).hasSize(4);
        // resuming on another split would train on the first split's test files
        assertThat(shell.run("train:run --out " + out + " --epochs 4 --seed 5 --size 32 --batch 16 --test 0.2 --val 0.2 " + smallDataset()).message())
                .startsWith(out + ": was trained on another split (seed 42, val 0.2, test 0.2, one group per image)");
    }

    @Test
    @Order(2)
    void trainsARegressorFromRatings() throws Exception {
        Path ds = smallDataset();
        List<String> rows = new ArrayList<>(List.of("file,score"));
        Map<String, Integer> taste = Map.of("gura", 5, "ina", 3, "kiara", 1);
        try (Stream<Path> s = Files.walk(ds)) {
            s.filter(p -> p.toString().endsWith(".jpg") && !p.toString().contains("corrupt"))
                    .forEach(p -> rows.add(ds.relativize(p) + "," + taste.get(p.getParent().getFileName().toString())));
        }
        Path csv = Files.write(ds.resolve("ratings.csv"), rows, StandardCharsets.UTF_8);
        Path out = work.resolve("reg");
        TestShell.Result r = shell.run("train:run --out " + out + " --epochs 2 --size 32 --batch 16 --augment flip,jitter --checkpoint-every 1 " + csv);
        assertThat(r.status()).as(r.message()).isZero();
        assertThat(r.out()).contains("regression, 48 images", "val_spearman");
        assertThat(out.resolve("epoch-001.zip")).exists();
        assertThat(out.resolve("epoch-002.zip")).exists();
        assertThat(shell.run("train:run --out " + work.resolve("x") + " --augment rotate " + csv).message())
                .isEqualTo("augment takes crop, flip, jitter, zoom, grey, all or none, not 'rotate'");
        assertThat(Files.readString(out.resolve("model.json"))).contains("\"task\" : \"regression\"", "\"range\" : [ 1.0, 5.0 ]");

        // transfer learning: the classifier's features, a new regression output
        Path ft = work.resolve("reg-ft");
        TestShell.Result t = shell.run("train:run --out " + ft + " --init " + work.resolve("cls") + " --freeze --epochs 1 --size 32 --batch 16 " + csv);
        assertThat(t.status()).as(t.message()).isZero();
        assertThat(t.out()).contains("starting from " + work.resolve("cls/model.zip") + " (feature layers frozen)", "epoch   1/1");

        // ... or from an installed scorer model, named as model:list names it
        TestShell.Result n = shell.run("train:run --out " + work.resolve("reg-named") + " --init character --epochs 1 --size 32 --batch 16 " + csv);
        assertThat(n.status()).as(n.message()).isZero();
        assertThat(n.out()).contains("--init character: the network of konomi.model.character", "(all layers fine-tuned)", "epoch   1/1");
        assertThat(shell.run("train:run --out " + work.resolve("y") + " --init nosuch " + csv).message())
                .isEqualTo("--init nosuch: no such file, and no installed scorer or detector model of that name (model:list shows them)");

        // temperature scaling is for classifiers: a regressor has no probabilities to scale
        assertThat(shell.run("train:calibrate " + out + " " + csv).message())
                .isEqualTo(out.resolve("model.json") + ": a regression model; temperature scaling is for classifiers");
    }

    /** train:calibrate on real data: the shipped character ensemble's first member as trained, with the validation files its run recorded. */
    @Test
    @Order(2)
    void calibratesTheShippedCharacterNetworkAsTrained() throws Exception {
        Path cal = Files.createDirectories(work.resolve("character-cal")), shipped = Path.of("../bundles/konomi.model.character/members/student-a");
        Files.copy(shipped.resolve("model.uncalibrated.zip"), cal.resolve("model.zip"));
        for (String f : List.of("model.json", "split.json", "metrics.json")) {
            Files.copy(shipped.resolve(f), cal.resolve(f));
        }
        TestShell.Result c = shell.run("train:calibrate " + cal + " " + ScoreTest.HOLO);
        assertThat(c.status()).as(c.message() + c.out()).isZero();
        // distillation's soft targets left it underconfident; the order of the classes is kept
        assertThat(c.out()).contains("fitting a temperature on the run's recorded validation part: 1220 images")
                .containsPattern("temperature 0\\.7[6-9]\\d \\(below 1: it was underconfident\\)")
                .containsPattern("(?m)^accuracy\\s+0\\.9689\\s+0\\.9689\\s+0\\.9605\\s+0\\.9605$")
                .contains("kept " + cal.resolve("model.uncalibrated.zip"));
        assertThat(cal.resolve("calibration.json")).exists();

        // train:ensemble in a real framework: the calibrated network packed with itself is that network, at half precision
        Path ens = work.resolve("character-ens");
        TestShell.Result e = shell.run("train:ensemble --half --out " + ens + " " + cal + "," + cal + " " + ScoreTest.HOLO);
        assertThat(e.status()).as(e.message() + e.out()).isZero();
        assertThat(e.out()).containsPattern("(?m)^ensemble \\(geometric\\)\\s+0\\.96[89]\\d\\s+0\\.99\\d\\d\\s+0\\.14\\d\\d\\s+0\\.96\\d\\d\\s") // to a rounding of 16-bit weights
                .contains("2 networks, 1220 validation and 1190 test images", "half precision");
        assertThat(Files.size(ens.resolve("model.zip"))).isLessThan(5L << 20);
        // that folder alone is packed again with the other mean, its members' records carried over
        TestShell.Result a = shell.run("train:ensemble --half --mean arithmetic --out " + work.resolve("character-ens-a") + " " + ens + " " + ScoreTest.HOLO);
        assertThat(a.status()).as(a.message() + a.out()).isZero();
        assertThat(a.out()).containsPattern("(?m)^" + java.util.regex.Pattern.quote(cal.toString()) + "\\s+0\\.9689\\s")
                .containsPattern("(?m)^ensemble \\(arithmetic\\)\\s+0\\.96[89]\\d\\s");
        assertThat(shell.run("train:ensemble --mean median --out " + work.resolve("x") + " " + ens + " " + ScoreTest.HOLO).message())
                .isEqualTo("train:ensemble: --mean is geometric or arithmetic, not median");
        assertThat(shell.run("train:ensemble --out " + cal + " " + cal + "," + cal + " " + ScoreTest.HOLO).message())
                .isEqualTo(cal + ": holds a model.zip that is not an ensemble (no ensemble.json); give another --out");
    }

    @Test
    @Order(3)
    void aTrainedModelIsPackedDeployedReplacedAndScoredWithoutRestart() throws Exception {
        Path crops = work.resolve("ds/ina");
        TestShell.Result packed = shell.run("model:package --name tiny --version 1.0.0 --out " + work.resolve("tiny-1.jar") + " " + work.resolve("cls"));
        assertThat(packed.status()).as(packed.message()).isZero();
        Jars.drop(work.resolve("tiny-1.jar"), home.resolve("deploy"), "tiny.jar");
        TestShell.Result r1 = awaitScore("score:run --faces --scorer tiny -q --out " + work.resolve("s1") + " " + crops);
        assertThat(Files.readString(work.resolve("s1/results.json"))).contains("{\"name\":\"tiny\",\"version\":\"1.0.0\"");
        assertThat(shell.run("score:list").out()).containsPattern("tiny\\s+classification\\s+1.0.0");

        // a newer version, trained one epoch longer, replaces it: the next run uses the new weights
        assertThat(shell.run("train:run --out " + work.resolve("cls") + " --epochs 4 --size 32 --batch 16 --test 0.2 --val 0.2 " + smallDataset()).status()).isZero();
        assertThat(shell.run("model:package --name tiny --version 1.1.0 --out " + work.resolve("tiny-2.jar") + " " + work.resolve("cls")).status()).isZero();
        Jars.drop(work.resolve("tiny-2.jar"), home.resolve("deploy"), "tiny.jar");
        for (int i = 0; i < 100 && !java.util.regex.Pattern.compile("tiny\\s+classification\\s+1.1.0").matcher(shell.run("score:list").out()).find(); i++) {
            Thread.sleep(100);
        }
        TestShell.Result r2 = shell.run("score:run --faces --scorer tiny -q --out " + work.resolve("s2") + " " + crops);
        assertThat(r2.status()).as(r2.message()).isZero();
        assertThat(Files.readString(work.resolve("s2/results.json"))).contains("{\"name\":\"tiny\",\"version\":\"1.1.0\"");
        assertThat(shell.run("score:list").out()).doesNotContainPattern("tiny\\s+classification\\s+1.0.0");
    }

    @Test
    @Order(4)
    void brokenScorerBundlesSayWhatIsWrong() throws Exception {
        Path deploy = home.resolve("deploy");
        Jars.drop(Jars.bundle(work.resolve("garbage.jar"), "bad.zip", "1.0.0",
                "scorer;type=classification;name=garbage;file=model/model.zip;input=96x96x3;norm=rgb01;labels=\"a,b\"",
                Map.of("model/model.zip", "not a zip".getBytes())), deploy, "garbage.jar");
        byte[] tiny = Files.readAllBytes(work.resolve("cls/model.zip"));
        Jars.drop(Jars.bundle(work.resolve("labels.jar"), "bad.labels", "1.0.0",
                "scorer;type=classification;name=wronglabels;file=model/model.zip;input=32x32x3;norm=rgb01;labels=\"a,b,c,d\"",
                Map.of("model/model.zip", tiny)), deploy, "labels.jar");
        String list = "";
        for (int i = 0; i < 100 && !(java.util.regex.Pattern.compile("garbage .*FAILED").matcher(list).find() && java.util.regex.Pattern.compile("wronglabels .*FAILED").matcher(list).find()); i++) {
            Thread.sleep(100);
            list = shell.run("model:list").out();
        }
        assertThat(list).containsPattern("garbage .*FAILED .*not a DL4J model zip");
        assertThat(list).containsPattern("wronglabels .*FAILED .*network has 3 outputs but the header says 4 labels");
        assertThat(shell.run("score:run --faces --scorer character -q --out " + work.resolve("s3") + " " + work.resolve("ds/ina")).status()).isZero();
    }

    @Test
    @Order(5)
    void crossValidationPrintsEveryFoldAndEpochWithMeanAndSpread() throws Exception {
        Path out = work.resolve("cv");
        TestShell.Result r = shell.run("train:cv --folds 3 --epochs 2 --size 32 --batch 16 --out " + out + " " + smallDataset());
        assertThat(r.status()).as(r.message()).isZero();
        assertThat(r.out()).contains("fold 1/3", "fold 3/3").containsPattern("(?m)^epoch\\s+fold 1\\s+fold 2\\s+fold 3\\s+mean\\s+sd");
        List<String> csv = Files.readAllLines(out.resolve("cv.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).isEqualTo("epoch,fold1,fold2,fold3,mean,sd");
    }

    @Test
    @Order(6)
    void learningRateFinderPlotsAndSuggests() throws Exception {
        Path out = work.resolve("lrf");
        TestShell.Result r = shell.run("train:lr-find --steps 12 --size 32 --batch 16 --min 1e-5 --max 1 --out " + out + " " + smallDataset());
        assertThat(r.status()).as(r.message()).isZero();
        assertThat(r.out()).contains("smoothed loss", "(log scale)", "suggested learning rate");
        List<String> csv = Files.readAllLines(out.resolve("lr-find.csv"));
        assertThat(csv.get(0)).isEqualTo("lr,loss,smoothed_loss");
        assertThat(csv.size()).isBetween(8, 13);
        assertThat(Double.parseDouble(csv.get(1).split(",")[0])).isEqualTo(1e-5);
    }

    @Test
    @Order(7)
    void evaluationReportsWithChartsConfusionAndTopLosses() throws Exception {
        TestShell.Result cls = shell.run("eval:run --split all --top 5 --out " + work.resolve("ev-cls") + " " + work.resolve("cls") + " " + smallDataset());
        assertThat(cls.status()).as(cls.message()).isZero();
        assertThat(cls.out()).contains("accuracy", "top3");
        String html = Files.readString(work.resolve("ev-cls/eval.html"));
        assertThat(html).contains("Learning curves", "data:image/png;base64,", "Per class", "Confusion matrix", "Top losses");
        assertThat(Files.readString(work.resolve("ev-cls/eval.json"))).contains("\"per_class\"", "\"confusion\"", "\"top_losses\"");

        TestShell.Result reg = shell.run("eval:run --split all --out " + work.resolve("ev-reg") + " " + work.resolve("reg") + " " + work.resolve("ds/ratings.csv"));
        assertThat(reg.status()).as(reg.message()).isZero();
        assertThat(reg.out()).contains("spearman", "mae");
        assertThat(Files.readString(work.resolve("ev-reg/eval.html"))).contains("Predicted against true", "data:image/png;base64,");

        TestShell.Result wrong = shell.run("eval:run --split all --out " + work.resolve("ev-x") + " " + work.resolve("cls") + " " + work.resolve("ds/ratings.csv"));
        assertThat(wrong.status()).isEqualTo(1);
        assertThat(wrong.message()).contains("does not match the model");
    }

    @Test
    @Order(8)
    void evaluationHoldsBackExactlyWhatTrainingHeldBack() throws Exception {
        Path ds = smallDataset();
        List<String> groups = new ArrayList<>(List.of("file,group"));
        try (Stream<Path> s = Files.walk(ds)) {
            s.filter(p -> p.toString().endsWith(".jpg")).map(p -> ds.relativize(p).toString()).sorted()
                    .forEach(f -> groups.add(f + ",pic-" + f.substring(0, f.length() - 5))); // two faces a picture
        }
        Path groupsCsv = Files.write(work.resolve("groups.csv"), groups);
        Path run = work.resolve("split-run");
        TestShell.Result t = shell.run("train:run --out " + run + " --epochs 1 --size 32 --batch 16 --seed 3 --val 0.2 --test 0.3 --groups "
                + groupsCsv + " " + ds);
        assertThat(t.status()).as(t.message()).isZero();
        String split = Files.readString(run.resolve("split.json"));
        assertThat(split).contains("\"seed\" : 3", "\"sha256\" : \"", "\"test\" : 0.3");
        List<String> heldBack = strings(after(split, "\"test_files\""), "\"file\" : \"([^\"]+)\"");
        assertThat(heldBack).isNotEmpty();
        assertThat(split).contains("\"test\" : " + heldBack.size());

        // no options: exactly the recorded files, and the same figures as training's own test measurement
        TestShell.Result e = shell.run("eval:run " + run + " " + ds);
        assertThat(e.status()).as(e.message()).isZero();
        assertThat(e.out()).contains("evaluating the run's recorded test part: " + heldBack.size() + " images (seed 3, val 0.2, test 0.3, grouped by");
        String eval = Files.readString(run.resolve("eval/eval.json"));
        List<String> measured = new ArrayList<>(strings(array(eval, "files"), "\"([^\"]+)\""));
        measured.addAll(strings(array(eval, "skipped"), "\"([^\":]+):"));
        assertThat(measured).containsExactlyInAnyOrderElementsOf(heldBack);
        String trained = after(Files.readString(run.resolve("metrics.json")), "\"test\" : {");
        String evaluated = after(eval, "\"metrics\" : {");
        for (String m : List.of("n", "accuracy", "top3")) {
            assertThat(number(evaluated, m)).as(m).isEqualTo(number(trained, m));
        }

        // explicit options draw the split again, and say so
        TestShell.Result other = shell.run("eval:run --seed 4 --out " + work.resolve("ev-seed4") + " " + run + " " + ds);
        assertThat(other.status()).as(other.message()).isZero();
        assertThat(other.out()).contains("split from options, not the run's recorded split: test part of");

        // a dataset that lost a held-back file is refused, naming it
        Path changed = work.resolve("ds-changed");
        try (Stream<Path> s = Files.walk(ds)) {
            for (Path p : s.toList()) {
                Files.copy(p, changed.resolve(ds.relativize(p).toString()));
            }
        }
        Files.delete(changed.resolve(heldBack.get(0)));
        TestShell.Result refused = shell.run("eval:run " + run + " " + changed);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.message()).startsWith(changed + ": does not match the run's recorded split " + run.resolve("split.json"))
                .contains("1 of " + heldBack.size() + " recorded test files missing (first " + heldBack.get(0) + ")");

        // a run from before split.json: drawn again from the defaults, said in one line
        Files.delete(run.resolve("split.json"));
        TestShell.Result old = shell.run("eval:run " + run + " " + ds);
        assertThat(old.status()).as(old.message()).isZero();
        assertThat(old.out()).contains("no recorded split in " + run + " (trained before split.json was written): drawn again");
    }

    @Test
    @Order(9)
    void badOptionsAndDatasetsAreOneLineErrors() {
        assertThat(shell.run("train:run --out " + work.resolve("x") + " /no/such/dataset").message())
                .isEqualTo("/no/such/dataset: dataset not found (a folder of class folders, or a CSV file,score)");
        assertThat(shell.run("train:run --out " + work.resolve("x") + " --lr abc " + work.resolve("ds")).message())
                .isEqualTo("--lr: not a number: 'abc'");
        assertThat(shell.run("train:run --out " + work.resolve("x") + " --val 0.9 " + work.resolve("ds")).message())
                .isEqualTo("val must be between 0.01 and 0.5, not 0.9");
        assertThat(shell.run("eval:run --split some " + work.resolve("cls") + " " + work.resolve("ds")).message())
                .isEqualTo("--split must be test or all, not 'some'");
    }

    private static String after(String text, String marker) {
        assertThat(text).contains(marker);
        return text.substring(text.indexOf(marker) + marker.length());
    }

    /** The contents of a JSON array {@code "name" : [ ... ]} (of strings without brackets). */
    private static String array(String json, String name) {
        String rest = after(json, "\"" + name + "\" : [");
        return rest.substring(0, rest.indexOf(']'));
    }

    private static List<String> strings(String text, String regex) {
        return java.util.regex.Pattern.compile(regex).matcher(text).results().map(m -> m.group(1)).toList();
    }

    /** The first number named {@code key} in a JSON text. */
    private static double number(String json, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\" : ([-0-9.Ee]+)").matcher(json);
        assertThat(m.find()).as(key).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Order(10)
    void aResidualNetworkTrainsResumesAndIsEvaluatedPackedAndScored() throws Exception {
        Path out = work.resolve("res");
        // with squeeze-excitation: Konomi's own layer class, named in the saved configuration, must load in every bundle that reads it
        String train = " --size 32 --batch 16 --test 0.2 --val 0.2 --net se --ema 0.9 --tta flip ";
        TestShell.Result r = shell.run("train:run --out " + out + " --epochs 2" + train + smallDataset());
        assertThat(r.status()).as(r.message() + r.out()).isZero();
        assertThat(r.out()).contains("epoch   2/2", "without the average");
        assertThat(Files.readString(out.resolve("metrics.json"))).contains("\"net\" : \"se\"", "\"test_confusion\"");
        assertThat(Files.readString(out.resolve("model.json"))).contains("flip");
        // resuming restores the graph with its Adam state and its weight average
        TestShell.Result more = shell.run("train:run --out " + out + " --epochs 3" + train + smallDataset());
        assertThat(more.status()).as(more.message()).isZero();
        assertThat(more.out()).contains("resuming after epoch 2", "epoch   3/3");

        TestShell.Result ev = shell.run("eval:run --split test --out " + work.resolve("ev-res") + " " + out + " " + smallDataset());
        assertThat(ev.status()).as(ev.message()).isZero();
        assertThat(ev.out()).contains("accuracy", "top3");

        assertThat(shell.run("model:package --name tinyres --version 1.0.0 --out " + work.resolve("tinyres.jar") + " " + out).status()).isZero();
        Jars.drop(work.resolve("tinyres.jar"), home.resolve("deploy"), "tinyres.jar");
        TestShell.Result s = awaitScore("score:run --faces --scorer tinyres --sink json -q --out " + work.resolve("s-res") + " " + work.resolve("ds/ina"));
        assertThat(s.status()).as(s.message()).isZero();
        assertThat(Files.readString(work.resolve("s-res/results.json"))).contains("{\"name\":\"tinyres\",\"version\":\"1.0.0\"", "\"label\":\"");

        // a residual classifier is a start network like any other: fine-tuned, or predicting ratings through its labels
        TestShell.Result ft = shell.run("train:run --out " + work.resolve("from-res") + " --init " + out + " --freeze --epochs 1 --size 32 --batch 16 "
                + work.resolve("ds/ratings.csv"));
        assertThat(ft.status()).as(ft.message()).isZero();
        assertThat(ft.out()).contains("(feature layers frozen)", "epoch   1/1");
        TestShell.Result via = shell.run("train:run --out " + work.resolve("via-res") + " --init " + out + " --via-labels --epochs 1 --size 32 --batch 16 "
                + work.resolve("ds/ratings.csv"));
        assertThat(via.status()).as(via.message()).isZero();
        assertThat(via.out()).contains("(frozen; predicting through its labels)", "val_spearman");
    }

    @Test
    @Order(11)
    void aBaseNetworkPretrainedWithoutLabelsIsAStartForTrainRun() throws Exception {
        Path base = work.resolve("ssl");
        // the classifier run's held-back pictures stay out of pretraining
        TestShell.Result r = shell.run("train:ssl --out " + base + " --epochs 2 --batch 8 --size 32 --net face --exclude " + work.resolve("cls") + " "
                + smallDataset());
        assertThat(r.status()).as(r.message() + r.out()).isZero();
        List<String> heldFiles = strings(Files.readString(work.resolve("cls/split.json")), "\"file\"\\s*:\\s*\"([^\"]+)\"");
        int held = heldFiles.size(), readable = 48 - (held - (heldFiles.contains("gura/corrupt.jpg") ? 1 : 0));
        assertThat(held).isPositive();
        assertThat(r.out()).contains(readable + " faces (" + held + " held back)", "epoch   2/2", "pair_accuracy", "train:run --init " + base);
        assertThat(Files.readString(base.resolve("pretrain.json"))).contains("\"excluded\" : " + held, "NT-Xent");
        TestShell.Result more = shell.run("train:ssl --out " + base + " --epochs 3 --batch 8 --size 32 --net face " + smallDataset());
        assertThat(more.status()).as(more.message()).isZero();
        assertThat(more.out()).contains("resuming after epoch 2", "epoch   3/3");

        TestShell.Result ft = shell.run("train:run --out " + work.resolve("from-ssl") + " --init " + base + " --epochs 1 --size 32 --batch 16 " + smallDataset());
        assertThat(ft.status()).as(ft.message()).isZero();
        assertThat(ft.out()).contains("starting from " + base.resolve("model.zip") + " (all layers fine-tuned)", "val_accuracy");

        assertThat(shell.run("train:ssl --out " + base + " /no/such/folder").message()).isEqualTo("/no/such/folder: no such folder");
        assertThat(shell.run("train:ssl " + smallDataset()).message()).isEqualTo("train:ssl needs --out <folder>");
    }

    private static TestShell.Result awaitScore(String line) throws InterruptedException {
        TestShell.Result r = null;
        for (int i = 0; i < 100; i++) {
            r = shell.run(line);
            if (r.status() == 0) {
                return r;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(r.message());
    }
}
