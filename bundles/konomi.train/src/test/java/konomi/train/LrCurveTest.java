package konomi.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.train.LrFindResult.Row;

class LrCurveTest {
    /** A loss flat at 2 up to 1e-4, falling fastest around 1e-3, lowest at 1e-2, then diverging. */
    static List<Row> curve() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i <= 40; i++) {
            double lr = Math.pow(10, -6 + i * 0.125); // 1e-6 .. 1e-1
            double x = Math.log10(lr);
            double loss = x < -2 ? 1 + 1 / (1 + Math.exp(4 * (x + 3))) : 1 + 5 * (x + 2) * (x + 2);
            rows.add(new Row(lr, loss, loss));
        }
        return rows;
    }

    @Test
    void suggestsTheSteepestDescentBeforeTheLowestPoint() {
        List<Row> rows = curve();
        assertThat(rows.get(LrCurve.lowest(rows)).learningRate()).isBetween(0.9e-2, 1.1e-2);
        assertThat(rows.get(LrCurve.steepest(rows)).learningRate()).isBetween(0.9e-3, 1.1e-3);
    }

    @Test
    void plotsTheSmoothedLossOnALogScale() {
        String plot = LrCurve.plot(curve(), 64, 16);
        List<String> lines = plot.lines().toList();
        // the divergence is clipped at three times the fall from the start, so it does not flatten the curve
        assertThat(lines.get(0)).isEqualTo("smoothed loss 1.000 .. 4.000");
        assertThat(lines).hasSize(1 + 16 + 2);
        assertThat(lines.get(1)).startsWith("  |    ").endsWith("*");
        assertThat(lines.get(11)).startsWith("  |*"); // the flat start, a third of the way up
        assertThat(lines.get(16)).contains("*"); // the lowest point on the bottom row
        assertThat(lines.get(17)).isEqualTo("  +" + "-".repeat(64));
        assertThat(lines.get(18)).startsWith("   lr 1e-06").endsWith("1e-01 (log scale)");
        assertThat(plot.chars().filter(c -> c == '*').count()).isBetween(30L, 41L);
    }

    @Test
    void writesTheCurveAsCsv(@TempDir Path dir) throws Exception {
        List<String> csv = Files.readAllLines(LrFinding.writeCsv(dir.resolve("lr-find.csv"), curve().subList(0, 2)));
        assertThat(csv).containsExactly("lr,loss,smoothed_loss", "1.00000e-06,1.99999,1.99999", "1.33352e-06,1.99999,1.99999");
    }
}
