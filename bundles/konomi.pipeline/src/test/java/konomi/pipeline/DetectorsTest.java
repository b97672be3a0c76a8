package konomi.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import konomi.api.Face;
import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.Score;
import konomi.api.Scorer;
import konomi.api.sink.ModelRef;

class DetectorsTest {
    static FaceDetector detector(String name) {
        return new FaceDetector() {
            public String name() {
                return name;
            }

            public List<Face> detect(Image image) {
                return List.of();
            }
        };
    }

    @Test
    void aRunWaitsForADetectorThatArrivesWhileItWaits() throws Exception {
        Detectors d = new Detectors();
        FaceDetector late = detector("late");
        CompletableFuture<Bound<FaceDetector>> waiting = CompletableFuture.supplyAsync(() -> d.resolve(null));
        Thread.sleep(100); // let it block (the test's own pacing, not the code under test)
        assertThat(waiting).isNotDone();
        d.bindDetector(late, Map.of("konomi.name", "late"));
        assertThat(waiting.get().service()).isSameAs(late);
    }

    @Test
    void aChosenDetectorOnItsWayOutIsNotHandedToARun() {
        // DS tells the two references one after the other as a detector's service goes away
        Detectors d = new Detectors();
        d.modified(Map.of(konomi.api.pipeline.DetectorChoice.TARGET, "(konomi.name=strict)"));
        FaceDetector strict = detector("strict");
        Map<String, Object> props = Map.of("konomi.name", "strict", "konomi.version", "1.0.0", "service.id", 3L);
        d.addInstalled(strict, props);
        d.bindDetector(strict, props);
        assertThat(d.active()).map(ModelRef::name).contains("strict");
        d.removeInstalled(strict);
        assertThat(d.active()).isEmpty();
        d.unbindDetector(strict);
        assertThat(d.active()).isEmpty();
    }

    @Test
    void installedIsByNameNewestFirstAndAnUnknownNameListsThem() {
        Detectors d = new Detectors();
        d.addInstalled(detector("b"), Map.of("konomi.name", "b", "konomi.version", "1.0.0", "service.ranking", 1, "service.id", 5L));
        d.addInstalled(detector("b"), Map.of("konomi.name", "b", "konomi.version", "2.0.0", "service.ranking", 2, "service.id", 6L));
        d.addInstalled(detector("a"), Map.of("konomi.name", "a", "konomi.version", "1.0.0", "service.id", 7L));
        assertThat(d.installed()).extracting(ModelRef::name, ModelRef::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "1.0.0"), org.assertj.core.groups.Tuple.tuple("b", "2.0.0"),
                        org.assertj.core.groups.Tuple.tuple("b", "1.0.0"));
        assertThat(d.resolve("b").ref().version()).isEqualTo("2.0.0");
        assertThatThrownBy(() -> d.use("c")).hasMessage("no detector named 'c'; installed: a, b");
    }

    @Test
    void scorersResolveToTheNewestVersionInTheOrderAsked() {
        Scorers s = new Scorers();
        Scorer old = scorer("p"), newer = scorer("p"), other = scorer("c");
        s.addScorer(old, Map.of("konomi.name", "p", "service.ranking", 1, "service.id", 1L));
        s.addScorer(newer, Map.of("konomi.name", "p", "service.ranking", 2, "service.id", 2L));
        s.addScorer(other, Map.of("konomi.name", "c", "service.id", 3L));
        assertThat(s.resolve(List.of("p", "c"))).extracting(Bound::service).containsExactly(newer, other);
    }

    static Scorer scorer(String name) {
        return new Scorer() {
            public String name() {
                return name;
            }

            public List<Score> score(List<Image> faces) {
                return List.of();
            }
        };
    }
}
