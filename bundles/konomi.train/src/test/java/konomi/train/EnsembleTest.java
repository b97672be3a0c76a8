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
import konomi.api.train.Ensembler.Mean;
import konomi.api.train.Recipe;
import konomi.api.train.SplitSpec;
import konomi.api.train.TrainOptions;
import konomi.nn.Ensembles;
import konomi.nn.Nets;

/**
 * train:ensemble on two real (small) training runs of the same split: the packed network, stored at half precision,
 * outputs the normalised geometric mean of the members' probabilities (or, asked, their mean), and is measured on the
 * part they held back; an ensemble's folder alone is packed again with the other mean.
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

        EnsembleResult r = new CnnEnsembler().pack(List.of(a, b), ds, out, true, Mean.GEOMETRIC, listener);

        assertThat(r.validation().get("n")).isEqualTo(12.0);
        assertThat(r.test().get("n")).isEqualTo(10.0);
        assertThat(r.members()).hasSize(2);
        assertThat(r.names()).containsExactly(a.toString(), b.toString());
        // log-sum-exp is convex: the softmax of two networks' mean logits loses no more than the worse of them
        double worse = Math.max(r.members().get(0).get("validation_loss"), r.members().get(1).get("validation_loss"));
        assertThat(r.validation().get("loss")).isLessThanOrEqualTo(worse + 1e-3);
        // half precision: well under the two members' files together
        assertThat(r.bytes()).isEqualTo(Files.size(out.resolve("model.zip")))
                .isLessThan((long) (0.6 * (Files.size(a.resolve("model.zip")) + Files.size(b.resolve("model.zip")))));
        Model packed = Nets.restoreModel(out.resolve("model.zip").toFile(), false);
        assertThat(Ensembles.members(packed)).isEqualTo(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 24, 24);
        INDArray pa = Nets.output(Nets.restoreModel(a.resolve("model.zip").toFile(), false), x),
                pb = Nets.output(Nets.restoreModel(b.resolve("model.zip").toFile(), false), x);
        INDArray geometric = org.nd4j.linalg.ops.transforms.Transforms.softmax(
                org.nd4j.linalg.ops.transforms.Transforms.log(pa, true).add(org.nd4j.linalg.ops.transforms.Transforms.log(pb, true)).div(2), true);
        INDArray y = Nets.output(packed, x);
        assertThat(y.equalsWithEps(geometric, 2e-3)).as("%s against %s", y, geometric).isTrue();
        // a run folder to eval:run and model:package: the first member's model.json and split
        assertThat(Files.readAllBytes(out.resolve("model.json"))).isEqualTo(Files.readAllBytes(a.resolve("model.json")));
        assertThat(Files.readAllBytes(out.resolve("split.json"))).isEqualTo(Files.readAllBytes(a.resolve("split.json")));
        JsonNode rec = new ObjectMapper().readTree(out.resolve(Ensemble.FILE).toFile());
        assertThat(rec.path("members").size()).isEqualTo(2);
        assertThat(rec.path("mean").asText()).isEqualTo("geometric");
        assertThat(rec.at("/members/1/options/lr").asDouble()).isEqualTo(0.001);
        assertThat(rec.at("/validation/accuracy").asDouble()).isEqualTo(r.validation().get("accuracy"));

        // what it refuses, in one line naming the file
        assertThatThrownBy(() -> new CnnEnsembler().pack(List.of(a, b), ds, a, true, Mean.GEOMETRIC, listener))
                .hasMessage(a + ": holds a model.zip that is not an ensemble (no ensemble.json); give another --out");
        // an ensemble is packed again in place, at full precision and with the arithmetic mean this time
        EnsembleResult again = new CnnEnsembler().pack(List.of(a, b), ds, out, false, Mean.ARITHMETIC, listener);
        assertThat(again.bytes()).isEqualTo(Files.size(out.resolve("model.zip"))).isGreaterThan((long) (1.6 * r.bytes()));
        assertThat(again.validation().get("accuracy")).isCloseTo(r.validation().get("accuracy"), org.assertj.core.api.Assertions.within(0.09)); // a picture at most
        INDArray arithmetic = pa.add(pb).div(2), z = Nets.output(Nets.restoreModel(out.resolve("model.zip").toFile(), false), x);
        assertThat(z.equalsWithEps(arithmetic, 1e-5)).as("%s against %s", z, arithmetic).isTrue();
        // that folder alone, without the runs: the same weights with the geometric mean, the members' records carried over
        Path re = dir.resolve("re");
        EnsembleResult switched = new CnnEnsembler().pack(List.of(out), ds, re, true, Mean.GEOMETRIC, listener);
        assertThat(switched.names()).containsExactly(a.toString(), b.toString());
        assertThat(switched.members()).isEqualTo(again.members());
        assertThat(switched.validation()).isEqualTo(r.validation());
        assertThat(Nets.output(Nets.restoreModel(re.resolve("model.zip").toFile(), false), x).equalsWithEps(y, 1e-6)).isTrue();
        JsonNode reRec = new ObjectMapper().readTree(re.resolve(Ensemble.FILE).toFile());
        assertThat(reRec.path("packed_again_from").asText()).isEqualTo(out.resolve("model.zip").toString());
        assertThat(reRec.at("/members/1/options/lr").asDouble()).isEqualTo(0.001);
        assertThatThrownBy(() -> new CnnEnsembler().pack(List.of(a), ds, dir.resolve("one"), true, Mean.GEOMETRIC, listener))
                .hasMessage("an ensemble needs two runs or more, or one ensemble's folder to pack again, got " + a + " alone");
        Path c = dir.resolve("c");
        new CnnTrainer().train(ds, c, options(0.004, 0.3), listener);
        assertThatThrownBy(() -> new CnnEnsembler().pack(List.of(a, c), ds, dir.resolve("ac"), true, Mean.GEOMETRIC, listener))
                .hasMessage(c.resolve("split.json") + ": a different validation or test part from " + a.resolve("split.json")
                        + "; the members must share one split");
        assertThat(dir.resolve("ac")).doesNotExist();
    }
}
