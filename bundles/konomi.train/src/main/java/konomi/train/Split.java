package konomi.train;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Train/validation/test split by seed. Each group (e.g. all faces of one picture, whatever their class)
 * lands in one part, chosen by a seeded hash of the group name: the same seed gives the same split on
 * every machine and whatever the file order, and adding images never moves the others.
 */
record Split(List<Sample> train, List<Sample> val, List<Sample> test) {

    static Split of(List<Sample> samples, double val, double test, long seed) {
        List<Sample> tr = new ArrayList<>(), va = new ArrayList<>(), te = new ArrayList<>();
        for (Sample s : samples) {
            double u = unit(seed, s.group());
            (u < test ? te : u < test + val ? va : tr).add(s);
        }
        return new Split(tr, va, te);
    }

    /**
     * K cross-validation folds, grouped and stratified: a group (picture) stays in one fold, and within each
     * stratum groups are dealt round-robin to the folds, so every fold holds about 1/K of each class. The
     * stratum of a group is its most common class, dealt in seeded order (each class starting where the
     * previous one stopped); for regression, groups sorted by mean target are dealt in blocks of K with a
     * seeded order inside each block, so every fold spans the range of scores. Same seed, same folds.
     */
    static Map<String, Integer> folds(List<Sample> samples, int k, long seed, boolean classification) {
        Map<String, List<Sample>> byGroup = new TreeMap<>();
        for (Sample s : samples) {
            byGroup.computeIfAbsent(s.group(), g -> new ArrayList<>()).add(s);
        }
        Map<String, Integer> fold = new HashMap<>();
        if (classification) {
            Map<Integer, List<String>> strata = new TreeMap<>();
            byGroup.forEach((g, members) -> strata.computeIfAbsent(majority(members), c -> new ArrayList<>()).add(g));
            int next = 0;
            for (List<String> groups : strata.values()) {
                groups.sort(Comparator.comparingDouble((String g) -> unit(seed, g)).thenComparing(g -> g));
                for (String g : groups) {
                    fold.put(g, next++ % k);
                }
            }
        } else {
            List<String> groups = new ArrayList<>(byGroup.keySet());
            groups.sort(Comparator.comparingDouble((String g) -> byGroup.get(g).stream().mapToDouble(Sample::target).average().orElse(0))
                    .thenComparingDouble(g -> unit(seed, g)).thenComparing(g -> g));
            for (int from = 0; from < groups.size(); from += k) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    order.add(i);
                }
                java.util.Collections.shuffle(order, new java.util.Random(seed * 31 + from));
                for (int i = from; i < Math.min(groups.size(), from + k); i++) {
                    fold.put(groups.get(i), order.get(i - from));
                }
            }
        }
        return fold;
    }

    /** The most common label among a group's samples (the smallest on a tie). */
    private static int majority(List<Sample> members) {
        Map<Integer, Integer> counts = new TreeMap<>();
        members.forEach(s -> counts.merge(s.label(), 1, Integer::sum));
        return counts.entrySet().stream().max(Map.Entry.<Integer, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
    }

    /** A uniform number in [0, 1) from seed and name. */
    static double unit(long seed, String name) {
        long h = seed;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = h * 1_000_003L + b;
        }
        return new SplittableRandom(h).nextDouble();
    }
}
