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

    @Test
    void foldsKeepGroupsWholeAndEveryClassSpreadEvenly() {
        List<Sample> s = samples();
        java.util.Map<String, Integer> fold = Split.folds(s, 5, 42, true);
        int[][] perFoldClass = new int[5][5];
        java.util.Map<String, java.util.Map<Integer, Integer>> majority = new java.util.HashMap<>();
        for (Sample x : s) {
            assertThat(fold.get(x.group())).isBetween(0, 4);
            majority.computeIfAbsent(x.group(), g -> new java.util.HashMap<>()).merge(x.label(), 1, Integer::sum);
        }
        majority.forEach((g, counts) -> {
            int cls = counts.entrySet().stream().max(java.util.Map.Entry.<Integer, Integer>comparingByValue()
                    .thenComparing(java.util.Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).orElseThrow().getKey();
            perFoldClass[fold.get(g)][cls]++;
        });
        for (int c = 0; c < 5; c++) {
            int min = Integer.MAX_VALUE, max = 0;
            for (int f = 0; f < 5; f++) {
                min = Math.min(min, perFoldClass[f][c]);
                max = Math.max(max, perFoldClass[f][c]);
            }
            assertThat(max - min).as("groups of class %d per fold", c).isLessThanOrEqualTo(1);
        }
        assertThat(Split.folds(s, 5, 42, true)).isEqualTo(fold);
        assertThat(Split.folds(s, 5, 43, true)).isNotEqualTo(fold);
    }

    @Test
    void regressionFoldsEachSpanTheRangeOfScores() {
        List<Sample> s = new ArrayList<>();
        for (int g = 0; g < 500; g++) {
            s.add(new Sample(Path.of("x"), "img" + g, 0, 1 + (g * 7919 % 500) / 125.0, "pic" + g));
        }
        java.util.Map<String, Integer> fold = Split.folds(s, 5, 42, false);
        for (int f = 0; f < 5; f++) {
            int ff = f;
            double[] t = s.stream().filter(x -> fold.get(x.group()) == ff).mapToDouble(Sample::target).sorted().toArray();
            assertThat(t.length).isEqualTo(100);
            assertThat(t[0]).isLessThan(1.05);
            assertThat(t[t.length - 1]).isGreaterThan(4.9);
        }
    }

    private static Set<String> groups(List<Sample> s) {
        Set<String> g = new HashSet<>();
        s.forEach(x -> g.add(x.group()));
        return g;
    }
}
