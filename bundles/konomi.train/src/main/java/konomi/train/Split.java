package konomi.train;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

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

    /** A uniform number in [0, 1) from seed and name. */
    static double unit(long seed, String name) {
        long h = seed;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = h * 1_000_003L + b;
        }
        return new SplittableRandom(h).nextDouble();
    }
}
