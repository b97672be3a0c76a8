package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import konomi.api.train.Recipe;
import konomi.api.train.SplitSpec;
import konomi.api.train.TrainOptions;
import konomi.nn.Nets;

/**
 * Stochastic weight averaging ({@code --swa}): the schedule ends early, the averaged epochs run at the constant SWA
 * rate, and what is kept is the equal mean of their epoch-end weights, also across a resume.
 */
class SwaTest {
    @TempDir
    Path dir;
    final Heard listener = new Heard();
    final List<String> said = listener.said;

    Path dataset() throws Exception {
        return ColourClasses.write(dir.resolve("ds"), 10, 3);
    }

    TrainOptions options(int epochs, int swa) {
        return TrainOptions.builder().epochs(epochs).batch(8).size(24).learningRate(0.004).patience(1).checkpointEvery(1)
                .split(SplitSpec.defaults().withVal(0.2).withTest(0)).recipe(Recipe.DEFAULT.withSwa(swa, 0.001)).build();
    }

    static INDArray params(Path zip) throws Exception {
        return Nets.restoreModel(zip.toFile(), false).params();
    }

    @Test
    void theLastEpochsRunAtTheSwaRateAndTheirWeightsAreAveragedEquallyAcrossAResume() throws Exception {
        Path ds = dataset(), out = dir.resolve("run");
        CnnTrainer t = new CnnTrainer();
        t.train(ds, out, options(4, 2), listener);
        // epoch-N.zip is the network validated after epoch N: the raw weights, then from epoch 3 the average
        INDArray raw4 = params(out.resolve("checkpoint.zip"));
        INDArray avg3 = params(out.resolve("epoch-003.zip")), avg4 = params(out.resolve("epoch-004.zip"));
        assertThat(avg4.equalsWithEps(avg3.add(raw4).muli(0.5), 1e-5)).isTrue();
        assertThat(avg4.equalsWithEps(raw4, 1e-3)).isFalse();
        // patience 1 stops nothing inside the averaged epochs; the schedule (cosine over 2 epochs) then the SWA rate
        List<String> curve = Files.readAllLines(out.resolve("train.csv"));
        assertThat(curve).hasSize(5);
        double[] lr = curve.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[4])).toArray();
        assertThat(lr[0]).isCloseTo(0.004, within(1e-9));
        assertThat(lr[1]).isCloseTo(0.002, within(1e-9));
        assertThat(lr[2]).isCloseTo(0.001, within(1e-9));
        assertThat(lr[3]).isCloseTo(0.001, within(1e-9));
        assertThat(Files.readString(out.resolve("metrics.json"))).contains("\"swa\" : 2", "\"swa-lr\" : 0.001");

        // resumed with one more averaged epoch: the saved average goes on as the mean of three snapshots
        t.train(ds, out, options(5, 3), listener);
        assertThat(said).anyMatch(s -> s.startsWith("resuming after epoch 4 "));
        INDArray raw5 = params(out.resolve("checkpoint.zip")), avg5 = params(out.resolve("epoch-005.zip"));
        assertThat(avg5.equalsWithEps(avg4.mul(2).addi(raw5).divi(3), 1e-5)).isTrue();
    }

    @Test
    void averagingAsManyEpochsAsTheRunHasIsRefused() {
        assertThatThrownBy(() -> options(4, 4)).hasMessage("--swa 4 must be fewer than --epochs 4 (the schedule runs first)");
        assertThatThrownBy(() -> Recipe.DEFAULT.withSwa(2, 0)).hasMessageContaining("--swa-lr");
    }
}
