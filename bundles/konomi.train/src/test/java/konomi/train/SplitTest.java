package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SplitTest {
    static List<Sample> samples() {
        List<Sample> s = new ArrayList<>();
        for (int g = 0; g < 2000; g++) {
            for (int f = 0; f < 1 + g % 3; f++) { // pictures with 1-3 faces, of different classes
                s.add(new Sample(Path.of("x"), "img" + g + "-" + f, (g + f) % 5, 0, "pic" + g));
            }
        }
        return s;
    }

    @Test
    void groupsNeverStraddleSplitsAndFractionsHold() {
        Split split = Split.of(samples(), 0.15, 0.15, 42);
        Set<String> tr = groups(split.train()), va = groups(split.val()), te = groups(split.test());
        assertThat(tr).doesNotContainAnyElementsOf(va).doesNotContainAnyElementsOf(te);
        assertThat(va).doesNotContainAnyElementsOf(te);
        assertThat(te.size() / 2000.0).isBetween(0.12, 0.18);
        assertThat(va.size() / 2000.0).isBetween(0.12, 0.18);
    }

    @Test
    void theSameSeedGivesTheSameSplitWhateverTheOrder() {
        List<Sample> s = samples();
        Split a = Split.of(s, 0.15, 0.15, 7);
        List<Sample> reversed = new ArrayList<>(s);
        java.util.Collections.reverse(reversed);
        Split b = Split.of(reversed, 0.15, 0.15, 7);
        assertThat(groups(b.test())).isEqualTo(groups(a.test()));
        assertThat(groups(Split.of(s, 0.15, 0.15, 8).test())).isNotEqualTo(groups(a.test()));
    }

    private static Set<String> groups(List<Sample> s) {
        Set<String> g = new HashSet<>();
        s.forEach(x -> g.add(x.group()));
        return g;
    }
}
