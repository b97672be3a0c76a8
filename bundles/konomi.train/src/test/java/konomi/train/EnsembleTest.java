package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import konomi.api.train.EnsembleResult;
import konomi.api.train.Recipe;
import konomi.api.train.SplitSpec;
import konomi.api.train.TrainOptions;
import konomi.nn.Ensembles;
import konomi.nn.Nets;

/**
 * train:ensemble on two real (small) training runs of the same split: the packed network, stored at half precision,
 * outputs the mean of the members' probabilities, and is measured on the part they held back.
 */
class EnsembleTest {
    @TempDir
    Path dir;
    final Heard listener = new Heard();

    static TrainOptions options(double lr, double val) {
        return TrainOptions.builder().epochs(6).batch(8).size(24).learningRate(lr).patience(6)
                .split(SplitSpec.defaults().withVal(val).withTest(0.25)).recipe(Recipe.DEFAULT.withFlipTest(true)).build();
    }

    @Test
    void packsRunsAsOneNetworkOfTheirMeanProbabilitiesAndMeasuresIt() throws Exception {
        Path ds = CalibrationTest.mislabelled(ColourClasses.write(dir.resolve("ds"), 16, 3));
        Path a = dir.resolve("a"), b = dir.resolve("b"), out = dir.resolve("ens");
        new CnnTrainer().train(ds, a, options(0.004, 0.25), listener);
        new CnnTrainer().train(ds, b, options(0.001, 0.25), listener);

        EnsembleResult r = new CnnEnsembler().pack(List.of(a, b), ds, out, true, listener);

        assertThat(r.validation().get("n")).isEqualTo(12.0);
        assertThat(r.test().get("n")).isEqualTo(10.0);
        assertThat(r.members()).hasSize(2);
        // log loss is convex: the mean of two networks' probabilities loses no more than the worse of them
        double worse = Math.max(r.members().get(0).get("validation_loss"), r.members().get(1).get("validation_loss"));
        assertThat(r.validation().get("loss")).isLessThanOrEqualTo(worse + 1e-3);
        // half precision: well under the two members' files together
        assertThat(r.bytes()).isEqualTo(Files.size(out.resolve("model.zip")))
                .isLessThan((long) (0.6 * (Files.size(a.resolve("model.zip")) + Files.size(b.resolve("model.zip")))));
        Model packed = Nets.restoreModel(out.resolve("model.zip").toFile(), false);
        assertThat(Ensembles.members(packed)).isEqualTo(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 24, 24);
        INDArray mean = Nets.output(Nets.restoreModel(a.resolve("model.zip").toFile(), false), x)
                .add(Nets.output(Nets.restoreModel(b.resolve("model.zip").toFile(), false), x)).div(2);
        INDArray y = Nets.output(packed, x);
        assertThat(y.equalsWithEps(mean, 2e-3)).as("%s against %s", y, mean).isTrue();
        // a run folder to eval:run and model:package: the first member's model.json and split
        assertThat(Files.readAllBytes(out.resolve("model.json"))).isEqualTo(Files.readAllBytes(a.resolve("model.json")));
        assertThat(Files.readAllBytes(out.resolve("split.json"))).isEqualTo(Files.readAllBytes(a.resolve("split.json")));
        JsonNode rec = new ObjectMapper().readTree(out.resolve(Ensemble.FILE).toFile());
        assertThat(rec.path("members").size()).isEqualTo(2);
        assertThat(rec.at("/members/1/options/lr").asDouble()).isEqualTo(0.001);
        assertThat(rec.at("/validation/accuracy").asDouble()).isEqualTo(r.validation().get("accuracy"));

        // what it refuses, in one line naming the file
        assertThatThrownBy(() -> new CnnEnsembler().pack(List.of(a, b), ds, a, true, listener))
                .hasMessage(a + ": holds a model.zip that is not an ensemble (no ensemble.json); give another --out");
        // an ensemble is packed again in place, at full precision this time
        EnsembleResult again = new CnnEnsembler().pack(List.of(a, b), ds, out, false, listener);
        assertThat(again.bytes()).isEqualTo(Files.size(out.resolve("model.zip"))).isGreaterThan((long) (1.6 * r.bytes()));
        assertThat(again.validation().get("accuracy")).isCloseTo(r.validation().get("accuracy"), org.assertj.core.api.Assertions.within(0.09)); // a picture at most
        assertThatThrownBy(() -> new CnnEnsembler().pack(List.of(a), ds, dir.resolve("one"), true, listener))
                .hasMessage("an ensemble needs two runs or more, got 1");
        Path c = dir.resolve("c");
        new CnnTrainer().train(ds, c, options(0.004, 0.3), listener);
        assertThatThrownBy(() -> new CnnEnsembler().pack(List.of(a, c), ds, dir.resolve("ac"), true, listener))
                .hasMessage(c.resolve("split.json") + ": a different validation or test part from " + a.resolve("split.json")
                        + "; the members must share one split");
        assertThat(dir.resolve("ac")).doesNotExist();
    }
}
