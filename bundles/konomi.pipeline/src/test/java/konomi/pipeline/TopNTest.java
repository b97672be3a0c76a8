package konomi.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import konomi.api.pipeline.RankedImage;

class TopNTest {

    @Test
    void keepsExactlyTheBestNOfALongStreamInOrder() {
        Random rnd = new Random(7);
        TopN<RankedImage> top = new TopN<>(20, ScoringPipeline.RANKING);
        List<RankedImage> all = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            // a tenth without faces (no score), and coarse scores so that ties happen
            RankedImage r = new RankedImage("img" + i, i % 10 == 0 ? null : Math.round(rnd.nextDouble() * 400) / 100.0, 1, null);
            all.add(r);
            top.offer(r);
            assertThat(top.size()).isLessThanOrEqualTo(20);
        }
        // a stable sort keeps earlier images first among ties, as TopN does
        List<RankedImage> expected = all.stream().sorted(ScoringPipeline.RANKING).limit(20).toList();
        assertThat(top.best()).containsExactlyElementsOf(expected);
    }

    @Test
    void imagesWithoutFacesFillTheTableOnlyWhenTooFewHaveFaces() {
        TopN<RankedImage> top = new TopN<>(3, ScoringPipeline.RANKING);
        top.offer(new RankedImage("none1", null, 0, null));
        top.offer(new RankedImage("a", 2.0, 1, null));
        top.offer(new RankedImage("none2", null, 0, null));
        assertThat(top.best()).extracting(RankedImage::id).containsExactly("a", "none1", "none2");
        top.offer(new RankedImage("b", 1.0, 1, null));
        assertThat(top.best()).extracting(RankedImage::id).containsExactly("a", "b", "none1");
        assertThat(top.wouldKeep(new RankedImage("c", 0.5, 1, null))).isTrue();
        assertThat(top.wouldKeep(new RankedImage("none3", null, 0, null))).isFalse();
    }

    @Test
    void orderIsBestFirstForAnyComparator() {
        TopN<Integer> top = new TopN<>(3, Comparator.<Integer>naturalOrder());
        for (int i : new int[] {5, 1, 4, 2, 3}) {
            top.offer(i);
        }
        assertThat(top.best()).containsExactly(1, 2, 3);
    }
}
