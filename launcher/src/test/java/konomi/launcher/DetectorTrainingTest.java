package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short detector training on a few composites, in a real framework (where DL4J's oneDNN helpers run), for each
 * head: the loss falls to less than half, and the network then finds pasted faces in its pictures (AP@0.3 above 0).
 */
class DetectorTrainingTest extends FrameworkTest {
    @TempDir
    static Path work;

    @ParameterizedTest
    @ValueSource(strings = {"centre", "yolo2"})
    void shortTrainingOnCompositesLowersTheLossAndFindsPastedFaces(String head) throws Exception {
        Path comp = work.resolve("comp"), run = work.resolve("run-" + head);
        TestShell.Result made = Files.isRegularFile(comp.resolve("boxes.csv")) ? null : shell.run("train:composite --out " + comp + " --n 12 --seed 11 --faces 2 --min-face 40 --min-side 256 --max-side 320 --data "
                + TestShell.SHARED.resolve("data"));
        assertThat(made == null ? 0 : made.status()).as(made == null ? "" : made.message()).isZero();
        TestShell.Result trained = shell.run("train:run --task detect --head " + head + " --out " + run + " --size 128 --batch 8 --epochs 20 --patience 20 --schedule constant"
                + " --lr 0.003 --no-augment --seed 3 " + comp);
        assertThat(trained.status()).as(trained.message()).isZero();
        List<String> curve = Files.readAllLines(run.resolve("train.csv"));
        assertThat(curve).hasSize(21);
        double first = Double.parseDouble(curve.get(1).split(",")[1]), last = Double.parseDouble(curve.get(20).split(",")[1]);
        assertThat(last).as("training loss after 20 epochs vs after 1").isLessThan(0.5 * first);

        assertThat(Files.readString(run.resolve("model.json"))).contains("\"head\" : \"" + head + "\"");
        Path evalDir = work.resolve("eval-" + head);
        TestShell.Result eval = shell.run("eval:run --split all --threshold 0.05 --out " + evalDir + " " + run + " " + comp);
        assertThat(eval.status()).as(eval.message()).isZero();
        Matcher ap30 = Pattern.compile("\"ap30\"\\s*:\\s*([0-9.eE-]+)").matcher(Files.readString(evalDir.resolve("eval.json")));
        assertThat(ap30.find()).isTrue();
        assertThat(Double.parseDouble(ap30.group(1))).as("AP@0.3 on the composites it trained on").isGreaterThan(0);
    }
}
