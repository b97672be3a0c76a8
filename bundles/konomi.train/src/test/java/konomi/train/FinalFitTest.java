package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import konomi.api.train.SplitSpec;
import konomi.api.train.TrainOptions;
import konomi.nn.Nets;

/**
 * {@code train:run --final}: the validation part joins the training part, every epoch runs and the last is kept,
 * and the test part is the same as without it.
 */
class FinalFitTest {
    @TempDir
    Path dir;
    final Heard listener = new Heard();

    Path dataset() throws Exception {
        return ColourClasses.write(dir.resolve("ds"), 12, 5);
    }

    TrainOptions options(boolean finalFit) {
        // a learning rate far too high, so that held-back validation would stop the run or keep an earlier epoch
        return TrainOptions.builder().epochs(4).batch(8).size(24).learningRate(0.05).patience(1).checkpointEvery(1)
                .split(SplitSpec.defaults().withVal(0.25).withTest(0.25)).finalFit(finalFit).build();
    }

    @Test
    void validationPicturesAreTrainedOnEveryEpochRunsAndTheLastIsKept() throws Exception {
        Path ds = dataset(), held = dir.resolve("held"), fin = dir.resolve("final");
        CnnTrainer t = new CnnTrainer();
        t.train(ds, held, options(false), listener);
        t.train(ds, fin, options(true), listener);
        ObjectMapper json = new ObjectMapper();
        JsonNode m = json.readTree(fin.resolve("metrics.json").toFile());
        int train = m.at("/split/train").asInt(), validation = m.at("/split/validation").asInt();
        assertThat(listener.said).contains("--final: training on the training and validation parts together (" + (train + validation)
                + " images) and keeping the last epoch; the validation figures below are on pictures it trains on");
        assertThat(m.at("/validation_trained_on").asBoolean()).isTrue();
        assertThat(m.at("/options/final").asBoolean()).isTrue();
        assertThat(m.at("/best_epoch").asInt()).isEqualTo(4);
        assertThat(m.at("/epochs").asInt()).isEqualTo(4);
        assertThat(Files.readAllLines(fin.resolve("train.csv"))).hasSize(5);
        assertThat(Nets.restoreModel(fin.resolve("model.zip").toFile(), false).params()
                .equalsWithEps(Nets.restoreModel(fin.resolve("epoch-004.zip").toFile(), false).params(), 0)).isTrue();
        // the same test pictures as the run that held validation back: what is reported stays unseen
        JsonNode a = json.readTree(held.resolve(RecordedSplit.FILE).toFile()), b = json.readTree(fin.resolve(RecordedSplit.FILE).toFile());
        assertThat(b.get("test_files")).isEqualTo(a.get("test_files")).isNotEmpty();
        assertThat(json.readTree(held.resolve("metrics.json").toFile()).at("/validation_trained_on").asBoolean()).isFalse();
        // resuming either run the other way would mix two training sets
        assertThatThrownBy(() -> t.train(ds, held, options(true), listener))
                .hasMessage(held.toAbsolutePath() + ": was trained without --final (validation pictures out of its training set); resume it the same way, or give --fresh");
        assertThatThrownBy(() -> t.train(ds, fin, options(false), listener)).hasMessageContaining("was trained with --final");
    }

    @Test
    void detectorsAreRefused() {
        assertThatThrownBy(() -> TrainOptions.builder().task(TrainOptions.DETECT).finalFit(true).build())
                .hasMessage("--final is for scorers (a detector's validation boxes pick its threshold)");
    }
}
