package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import konomi.api.train.Augment;
import konomi.api.train.CvOptions;
import konomi.api.train.EvalOptions;
import konomi.api.train.LrFindOptions;
import konomi.api.train.Schedule;
import konomi.api.train.SplitSpec;
import konomi.api.train.TrainOptions;

class OptionsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        TrainOptions o = TrainOptions.defaults();
        assertThat(o.epochs()).isEqualTo(30);
        assertThat(o.batch()).isEqualTo(64);
        assertThat(o.size()).isEqualTo(96);
        assertThat(o.learningRate()).isEqualTo(0.002);
        assertThat(o.schedule()).isEqualTo(Schedule.COSINE);
        assertThat(o.split()).isEqualTo(new SplitSpec(42, 0.15, 0.15, null));
        assertThat(o.augment()).isEqualTo(Augment.ALL);
        assertThat(o.resume()).isTrue();
        assertThat(o.init()).isNull();
        assertThat(CvOptions.defaults().folds()).isEqualTo(5);
        assertThat(CvOptions.defaults().training()).isEqualTo(o);
        assertThat(LrFindOptions.defaults().steps()).isEqualTo(100);
        assertThat(LrFindOptions.defaults().training()).isEqualTo(o);
        assertThat(EvalOptions.defaults().overridesSplit()).isFalse();
        assertThat(EvalOptions.defaults().withSeed(1).overridesSplit()).isTrue();
        assertThat(EvalOptions.defaults().withPart(EvalOptions.Part.ALL).overridesSplit()).isTrue();
    }

    @Test
    void theBuilderSetsAndBlankMeansDefault() {
        TrainOptions o = TrainOptions.builder().epochs(3).metric(" ").init("").split(SplitSpec.defaults().withGroups(Path.of("g.csv"))).build();
        assertThat(o.epochs()).isEqualTo(3);
        assertThat(o.metric()).isNull();
        assertThat(o.init()).isNull();
        assertThat(o.toBuilder().build()).isEqualTo(o);
    }

    @Test
    void badValuesAreOneLineErrors() {
        assertThatThrownBy(() -> TrainOptions.builder().learningRate(20).build()).hasMessage("lr must be between 1.0E-7 and 10.0, not 20.0");
        assertThatThrownBy(() -> SplitSpec.defaults().withVal(0.9)).hasMessage("val must be between 0.01 and 0.5, not 0.9");
        assertThatThrownBy(() -> new CvOptions(1, TrainOptions.defaults(), null)).hasMessage("folds must be between 2 and 20, not 1");
        // min and max are checked together, once both are set
        assertThat(LrFindOptions.builder().minLr(2).maxLr(10).build().minLr()).isEqualTo(2);
        assertThatThrownBy(() -> LrFindOptions.builder().minLr(2).build()).hasMessage("lr-find needs 0 < min < max, not min 2.0, max 1.0");
        assertThatThrownBy(() -> Augment.parse("rotate")).hasMessage("augment takes crop, flip, jitter, zoom, grey, all or none, not 'rotate'");
        assertThatThrownBy(() -> Schedule.parse("linear")).hasMessage("schedule must be one of [cosine, onecycle, step, constant], not 'linear'");
        assertThat(Augment.parse("crop,flip")).isEqualTo(new Augment(true, true, false));
    }

    @Test
    void schedulesStartAtThePeakOrWarmUp() {
        TrainOptions cosine = TrainOptions.builder().epochs(10).build();
        assertThat(Schedules.learningRate(cosine, 0)).isEqualTo(0.002);
        assertThat(Schedules.learningRate(cosine, 5)).isCloseTo(0.001, org.assertj.core.api.Assertions.within(1e-12));
        TrainOptions one = TrainOptions.builder().epochs(10).schedule(Schedule.ONECYCLE).build();
        assertThat(Schedules.learningRate(one, 0)).isCloseTo(0.002 / 25, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(Schedules.perEpoch(one).valueAt(0, 3)).isEqualTo(Schedules.learningRate(one, 3));
    }
}
