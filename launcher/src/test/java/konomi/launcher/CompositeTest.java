package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train:composite} as a user runs it: pictures and boxes.csv written, bad options refused in one line. */
class CompositeTest extends FrameworkTest {
    static final Path DATA = TestShell.SHARED.resolve("data");

    @TempDir
    static Path work;

    @Test
    void writesPicturesAndTheirBoxes() throws Exception {
        Path out = work.resolve("comp");
        TestShell.Result r = shell.run("train:composite --out " + out + " --n 3 --seed 1 --data " + DATA);
        assertThat(r.status()).as(r.message() + r.err()).isZero();
        assertThat(r.out()).contains("composite 3/3 pictures", "wrote 3 pictures (").contains(out + "/boxes.csv");
        List<String> rows = Files.readAllLines(out.resolve("boxes.csv"));
        assertThat(rows.get(0)).isEqualTo("file,x1,y1,x2,y2");
        assertThat(rows.subList(1, rows.size())).isNotEmpty()
                .allMatch(row -> row.matches("images/0000[0-2]\\.jpg,\\d+,\\d+,\\d+,\\d+"));
        for (String f : List.of("00000.jpg", "00001.jpg", "00002.jpg")) {
            assertThat(out.resolve("images").resolve(f)).isNotEmptyFile();
        }
        assertThat(shell.run("help").out()).containsPattern("(?m)^  train:composite\\s+make detector training pictures$");
        assertThat(shell.run("help train:composite").out()).contains("--out", "--seed", "--data", "--negatives");
    }

    @Test
    void badOptionsAreOneLineErrors() throws Exception {
        TestShell.Result noOut = shell.run("train:composite --n 3 --seed 1 --data " + DATA);
        assertThat(noOut.status()).isEqualTo(1);
        assertThat(noOut.message()).isEqualTo("--out is required: the folder to write images/ and boxes.csv to");

        Path missing = work.resolve("no-data");
        TestShell.Result noData = shell.run("train:composite --out " + work.resolve("x") + " --n 3 --data " + missing);
        assertThat(noData.status()).isEqualTo(1);
        assertThat(noData.message()).startsWith(missing + ": data folder not found").doesNotContain("\n");

        assertThat(shell.run("train:composite --out " + work.resolve("x") + " --n many --data " + DATA).message())
                .isEqualTo("--n: not a number: 'many'");
        Files.createDirectories(work.resolve("taken"));
        Files.writeString(work.resolve("taken/a.txt"), "x");
        assertThat(shell.run("train:composite --out " + work.resolve("taken") + " --n 1 --data " + DATA).message())
                .isEqualTo(work.resolve("taken") + ": folder is not empty and not a train:composite output (no composite.json); choose another --out");
    }
}
