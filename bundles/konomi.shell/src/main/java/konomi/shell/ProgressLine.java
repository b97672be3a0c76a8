package konomi.shell;

import java.io.PrintStream;
import java.util.Locale;

import konomi.api.pipeline.Progress;
import konomi.api.pipeline.ProgressListener;
import konomi.util.Text;

/**
 * A one-line progress bar on a terminal, redrawn at most five times a second: images done (of the total when
 * the source knows it), faces, images/s and ETA. Off when output is not a terminal or with --quiet.
 */
final class ProgressLine implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private long last;
    private boolean drawn;

    /** @param out where to draw, or null for no progress */
    ProgressLine(PrintStream out) {
        this.out = out;
    }

    /** stderr when it is a terminal and progress is wanted, else nothing. */
    static ProgressLine forTerminal(boolean quiet) {
        return new ProgressLine(quiet || System.console() == null ? null : System.err);
    }

    @Override
    public void progress(Progress p) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - last < 200_000_000L && p.done() != p.total()) {
            return;
        }
        last = now;
        drawn = true;
        if (p.total() < 0) {
            out.printf(Locale.ROOT, "\r%d images, %d faces, %.1f images/s   ", p.done(), p.faces(), p.imagesPerSecond());
        } else {
            int filled = p.total() == 0 ? WIDTH : (int) ((long) WIDTH * p.done() / p.total());
            out.printf(Locale.ROOT, "\r[%s%s] %d/%d images, %d faces, %.1f images/s, ETA %s   ", "=".repeat(filled),
                    " ".repeat(WIDTH - filled), p.done(), p.total(), p.faces(), p.imagesPerSecond(), Text.duration(p.etaSeconds()));
        }
        out.flush();
    }

    /** Ends the line, if one was drawn. */
    void done() {
        if (out != null && drawn) {
            out.println();
        }
    }
}
