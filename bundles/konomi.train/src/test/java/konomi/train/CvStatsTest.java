package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.train.CvResult;

class CvStatsTest {
    static final List<CvResult.Fold> FOLDS = List.of(new CvResult.Fold(1, 20, 10, List.of(0.5, 0.8)),
            new CvResult.Fold(2, 20, 10, List.of(0.6, 0.9)), new CvResult.Fold(3, 20, 10, List.of(0.7, 1.0)));

    @Test
    void meanAndSampleStandardDeviationPerEpoch() {
        List<CvResult.EpochStats> s = CvStats.perEpoch(FOLDS);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).epoch()).isEqualTo(1);
        assertThat(s.get(0).mean()).isCloseTo(0.6, within(1e-12));
        assertThat(s.get(0).sd()).isCloseTo(0.1, within(1e-12)); // n - 1: population sd would be 0.0816
        assertThat(s.get(1).mean()).isCloseTo(0.9, within(1e-12));
        assertThat(CvStats.sd(new double[] {3})).isZero();
    }

    @Test
    void theCsvHasOneRowPerEpochWithFoldsMeanAndSd(@TempDir Path dir) throws Exception {
        Path csv = CrossValidation.writeCsv(dir.resolve("cv.csv"), FOLDS, CvStats.perEpoch(FOLDS));
        assertThat(Files.readAllLines(csv)).containsExactly("epoch,fold1,fold2,fold3,mean,sd", "1,0.5000,0.6000,0.7000,0.6000,0.1000",
                "2,0.8000,0.9000,1.0000,0.9000,0.1000");
        try (var s = Files.list(dir)) {
            assertThat(s).hasSize(1); // no temporary file left behind
        }
    }
}
