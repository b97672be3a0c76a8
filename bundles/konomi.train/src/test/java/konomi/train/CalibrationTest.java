package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import konomi.api.train.CalibrationResult;
import konomi.api.train.Recipe;
import konomi.api.train.SplitSpec;
import konomi.api.train.TrainOptions;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;

/**
 * train:calibrate on a real (small) training run: a network trained with heavy label smoothing is underconfident
 * on pictures it gets right, so the fitted temperature is below 1, and folding it into the output layer sharpens
 * every output exactly as {@code softmax(log p / T)}.
 */
class CalibrationTest {
    @TempDir
    Path dir;
    final Heard listener = new Heard();

    TrainOptions options(boolean finalFit) {
        return TrainOptions.builder().epochs(8).batch(8).size(24).learningRate(0.004).patience(8)
                .split(SplitSpec.defaults().withVal(0.25).withTest(0.25)).finalFit(finalFit)
                .recipe(Recipe.DEFAULT.withSmoothing(0.4).withFlipTest(true)).build();
    }

    @Test
    void fitsATemperatureOnValidationFoldsItInAndKeepsTheOriginal() throws Exception {
        Path ds = mislabelled(ColourClasses.write(dir.resolve("ds"), 16, 3)), run = dir.resolve("run");
        new CnnTrainer().train(ds, run, options(false), listener);
        byte[] trained = Files.readAllBytes(run.resolve("model.zip"));

        CalibrationResult r = new CnnCalibrator().calibrate(run, ds, listener);

        assertThat(r.temperature()).isBetween(0.06, 0.99); // smoothed targets: too soft
        assertThat(r.validation().get("loss")).isLessThan(r.validation().get("loss_before"));
        assertThat(r.validation().get("calibration_error")).isLessThan(r.validation().get("calibration_error_before"));
        assertThat(r.validation().get("n")).isEqualTo(12.0);
        assertThat(r.test().get("n")).isEqualTo(10.0);
        assertThat(Files.readAllBytes(run.resolve(Calibration.ORIGINAL))).isEqualTo(trained);
        // the fold: one view of any input through the calibrated network is the original's softmax(log p / T)
        Model before = Nets.restoreModel(run.resolve(Calibration.ORIGINAL).toFile(), false);
        Model after = Nets.restoreModel(run.resolve("model.zip").toFile(), false);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 3, 24, 24);
        float[][] p = Nets.output(before, x).toFloatMatrix(), q = Nets.output(after, x).toFloatMatrix();
        float[][] expected = Calibration.scaled(List.<float[][]>of(p), r.temperature());
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j < q[i].length; j++) {
                assertThat(q[i][j]).isCloseTo(expected[i][j], within(1e-4f));
            }
        }
        JsonNode rec = new ObjectMapper().readTree(run.resolve(Calibration.FILE).toFile());
        assertThat(rec.path("temperature").asDouble()).isEqualTo(r.temperature());
        assertThat(rec.path("model_sha256").asText()).isEqualTo(RecordedSplit.sha256(run.resolve("model.zip")));
        assertThat(rec.at("/validation/loss").asDouble()).isEqualTo(r.validation().get("loss"));

        // eval:run says it measures a calibrated network
        new CnnEvaluator().evaluate(run, ds, konomi.api.train.EvalOptions.defaults(), listener);
        assertThat(new ObjectMapper().readTree(run.resolve("eval/eval.json").toFile()).path("temperature").asDouble()).isEqualTo(r.temperature());

        // again: fitted from the kept original, not from the calibrated network, so the same temperature
        CalibrationResult again = new CnnCalibrator().calibrate(run, ds, listener);
        assertThat(listener.said).contains("calibrating again from the network as trained, " + run.resolve(Calibration.ORIGINAL));
        assertThat(again.temperature()).isCloseTo(r.temperature(), within(1e-6));
        assertThat(Files.readAllBytes(run.resolve(Calibration.ORIGINAL))).isEqualTo(trained);

        // a run trained again is calibrated from its new model.zip, which becomes the kept original
        Files.copy(run.resolve(Calibration.ORIGINAL), run.resolve("model.zip"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(run.resolve(Calibration.ORIGINAL), new byte[] {1});
        new CnnCalibrator().calibrate(run, ds, listener);
        assertThat(listener.said).contains(run.resolve("model.zip") + " is not the network calibration.json names (trained again since): calibrating it");
        assertThat(Files.readAllBytes(run.resolve(Calibration.ORIGINAL))).isEqualTo(trained);

        // a regressor has no probabilities to scale
        Path reg = Files.createDirectories(dir.resolve("reg"));
        for (String f : List.of("model.zip", "split.json")) {
            Files.copy(run.resolve(f), reg.resolve(f));
        }
        new ModelMeta("regression", List.of(), 24, ModelMeta.RGB01, new double[] {1, 5}, null).write(reg.resolve("model.json"));
        assertThatThrownBy(() -> new CnnCalibrator().calibrate(reg, ds, listener))
                .hasMessage(reg.resolve("model.json") + ": a regression model; temperature scaling is for classifiers");
        assertThatThrownBy(() -> new CnnCalibrator().calibrate(dir.resolve("none"), ds, listener))
                .hasMessage(dir.resolve("none") + ": not a train:run output folder (no model.zip and model.json)");
    }

    /** Two pictures of each class moved to the next: a network that is right on all the others must be wrong on these. */
    static Path mislabelled(Path ds) throws Exception {
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 2; i++) {
                Files.move(ds.resolve("c" + c + "/" + i + ".png"), ds.resolve("c" + (c + 1) % 3 + "/moved-" + c + "-" + i + ".png"));
            }
        }
        return ds;
    }

    @Test
    void aValidationPartAllRightByAMarginGivesNoTemperature() throws Exception {
        Path ds = ColourClasses.write(dir.resolve("ds"), 16, 3), run = dir.resolve("run");
        new CnnTrainer().train(ds, run, options(false), listener);
        byte[] trained = Files.readAllBytes(run.resolve("model.zip"));
        assertThatThrownBy(() -> new CnnCalibrator().calibrate(run, ds, listener)).hasMessage(run + ": its validation part gives no "
                + "temperature (the log loss keeps falling towards T 0: every picture is right by a margin); nothing was changed");
        assertThat(Files.readAllBytes(run.resolve("model.zip"))).isEqualTo(trained);
        assertThat(run.resolve(Calibration.ORIGINAL)).doesNotExist();
    }

    @Test
    void aRunTrainedOnItsValidationPartIsRefused() throws Exception {
        Path ds = ColourClasses.write(dir.resolve("ds"), 6, 4), run = dir.resolve("final");
        new CnnTrainer().train(ds, run, options(true), listener);
        assertThatThrownBy(() -> new CnnCalibrator().calibrate(run, ds, listener)).hasMessage(run + ": trained with --final, so its "
                + "validation pictures were trained on and cannot calibrate it; calibrate the run trained without --final");
        assertThat(run.resolve(Calibration.ORIGINAL)).doesNotExist();
    }
}
