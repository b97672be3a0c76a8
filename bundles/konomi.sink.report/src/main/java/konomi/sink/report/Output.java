package konomi.sink.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import konomi.api.KonomiException;
import konomi.api.sink.RunInfo;

/** Where a report sink writes, and the number formats its files share. */
final class Output {
    private Output() {
    }

    /** The run's output folder, created if needed. */
    static Path folder(RunInfo run, String sink) {
        if (run.output() == null) {
            throw new KonomiException("the " + sink + " sink needs an output folder (--out)");
        }
        try {
            return Files.createDirectories(run.output());
        } catch (IOException e) {
            throw new KonomiException(run.output() + ": cannot create folder: " + e.getMessage(), e);
        }
    }

    /** Four decimals, as results.csv has always had them. */
    static String fixed(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Rounded to four decimals, for JSON numbers. */
    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
