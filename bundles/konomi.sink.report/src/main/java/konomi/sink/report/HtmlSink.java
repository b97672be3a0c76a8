package konomi.sink.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

import org.osgi.service.component.annotations.Component;

import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.Score;
import konomi.api.sink.FaceResult;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ResultSink;
import konomi.api.sink.RunInfo;
import konomi.api.sink.RunSummary;
import konomi.imaging.Images;
import konomi.util.AtomicFile;
import konomi.util.Text;

/**
 * {@code report.html}: one self-contained page (thumbnails inlined as data URIs) with the run's figures, a
 * histogram of image scores (inline SVG) and a contact sheet of the top images, face boxes and scores drawn over
 * them. Memory is bounded: a thumbnail is made and kept only while its image is among the top N, the histogram
 * has fixed bins, and only the first {@link #MAX_ERRORS} errors are listed.
 */
@Component(property = ResultSink.NAME + "=html")
public class HtmlSink implements ResultSink {
    static final String FILE = "report.html";
    /** Longest side of a thumbnail, in pixels. */
    static final int THUMB = 240;
    static final int MAX_ERRORS = 200;
    static final int BINS = 20;

    @Override
    public Session open(RunInfo run) {
        Path target = Output.folder(run, "html").resolve(FILE);
        if (java.nio.file.Files.exists(target) && !run.force()) {
            throw new KonomiException(target + ": already exists (use --force to replace it)");
        }
        return new HtmlSession(run, target);
    }

    /** A contact-sheet entry, kept only while in the top N. */
    private record Shown(ImageResult result, long seq, byte[] jpeg) {
        double key() {
            return result.score() == null ? Double.NEGATIVE_INFINITY : result.score();
        }
    }

    /** Best first; ties keep the earlier image. */
    private static final Comparator<Shown> BEST_FIRST = Comparator.comparingDouble(Shown::key).reversed().thenComparingLong(Shown::seq);

    static final class HtmlSession implements Session {
        private final RunInfo run;
        private final Path target;
        private final PriorityQueue<Shown> shown = new PriorityQueue<>(BEST_FIRST.reversed()); // worst on top
        private final Histogram histogram = new Histogram();
        private final List<String> errors = new ArrayList<>();
        private int errorCount;
        private long seq;

        HtmlSession(RunInfo run, Path target) {
            this.run = run;
            this.target = target;
        }

        @Override
        public void accept(ImageResult r, Image image) {
            if (r.failed()) {
                if (errors.size() < MAX_ERRORS) {
                    errors.add(r.id() + ": " + r.error());
                }
                errorCount++;
                return;
            }
            if (r.score() != null) {
                histogram.add(r.score());
            }
            Shown candidate = new Shown(r, seq++, null);
            if (image == null || (shown.size() >= run.top() && BEST_FIRST.compare(candidate, shown.peek()) >= 0)) {
                return;
            }
            double k = Math.min(1.0, (double) THUMB / Math.max(image.width(), image.height()));
            int w = Math.max(1, (int) Math.round(image.width() * k)), h = Math.max(1, (int) Math.round(image.height() * k));
            shown.add(new Shown(r, candidate.seq(), Images.jpeg(Images.resize(image, w, h), 85)));
            if (shown.size() > run.top()) {
                shown.poll();
            }
        }

        @Override
        public void complete(RunSummary summary) {
            List<Shown> ranked = new ArrayList<>(shown);
            ranked.sort(BEST_FIRST);
            try (AtomicFile f = new AtomicFile(target, run.force())) {
                write(f.writer(), summary, ranked);
                f.commit();
            } catch (IOException e) {
                throw new KonomiException(target + ": cannot write report: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            shown.clear(); // nothing on disk until complete
        }

        private void write(Writer w, RunSummary s, List<Shown> ranked) throws IOException {
            String first = run.scorers().isEmpty() ? "detector" : run.scorers().get(0).name();
            w.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Konomi: " + Text.html(run.source()) + "</title>\n");
            w.write("""
                    <style>
                    body{font:14px system-ui,sans-serif;margin:24px;background:#fafafa;color:#222}
                    h1{font-size:20px} .meta{color:#555} .grid{display:flex;flex-wrap:wrap;gap:14px}
                    .card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px;width:min-content}
                    .pic{position:relative;display:inline-block} .pic img{display:block}
                    .box{position:absolute;border:2px solid #e6007a;box-sizing:border-box}
                    .box span{position:absolute;left:-2px;top:-18px;background:#e6007a;color:#fff;font-size:11px;padding:1px 3px;white-space:nowrap}
                    .cap{font-size:12px;margin-top:6px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:100%}
                    .rank{font-weight:bold} .err{color:#a00}
                    </style></head><body>
                    """);
            w.write("<h1>Konomi: " + Text.html(run.source()) + "</h1>\n<p class=\"meta\">" + s.images() + " images, " + s.faces() + " faces, "
                    + s.errors() + " errors in " + String.format(Locale.ROOT, "%.1f", s.seconds()) + " s; scorers "
                    + Text.html(String.join(", ", run.scorers().stream().map(m -> m.name() + " " + m.version()).toList()))
                    + (run.detector() == null ? "; every image taken as one face"
                    : "; detector " + Text.html(run.detector().name() + " " + run.detector().version()))
                    + ". An image's score is its best face's " + Text.html(first) + " score.</p>\n");
            w.write("<h2>Scores</h2>\n" + histogramSvg(first) + "\n");
            w.write("<h2>Top " + ranked.size() + "</h2>\n<div class=\"grid\">\n");
            int rank = 1;
            for (Shown sh : ranked) {
                card(w, rank++, sh);
            }
            w.write("</div>\n");
            if (!errors.isEmpty()) {
                w.write("<h2>Errors</h2>\n<ul>\n");
                for (String e : errors) {
                    w.write("<li class=\"err\">" + Text.html(e) + "</li>\n");
                }
                if (errorCount > errors.size()) {
                    w.write("<li>and " + (errorCount - errors.size()) + " more (results.json lists them all)</li>\n");
                }
                w.write("</ul>\n");
            }
            w.write("</body></html>\n");
        }

        private void card(Writer w, int rank, Shown s) throws IOException {
            ImageResult r = s.result();
            double k = Math.min(1.0, (double) THUMB / Math.max(r.width(), r.height()));
            int dw = (int) Math.round(r.width() * k), dh = (int) Math.round(r.height() * k);
            w.write("<div class=\"card\"><div class=\"pic\" style=\"width:" + dw + "px;height:" + dh + "px\"><img width=\"" + dw
                    + "\" height=\"" + dh + "\" alt=\"" + Text.html(r.id()) + "\" src=\"data:image/jpeg;base64,"
                    + Base64.getEncoder().encodeToString(s.jpeg()) + "\">");
            if (!run.facesGiven()) {
                for (FaceResult f : r.faces()) {
                    w.write(String.format(Locale.ROOT, "<div class=\"box\" style=\"left:%.2f%%;top:%.2f%%;width:%.2f%%;height:%.2f%%\"><span>%s</span></div>",
                            100.0 * f.face().box().x1() / r.width(), 100.0 * f.face().box().y1() / r.height(),
                            100.0 * f.face().box().width() / r.width(), 100.0 * f.face().box().height() / r.height(), Text.html(label(f.scores()))));
                }
            }
            w.write("</div><div class=\"cap\"><span class=\"rank\">#" + rank + "</span> " + Text.html(r.id()) + "</div><div class=\"cap\">"
                    + (r.faces().isEmpty() ? "no face" : Text.html(label(bestFace(r).scores()))) + "</div></div>\n");
        }

        private static FaceResult bestFace(ImageResult r) {
            FaceResult best = r.faces().get(0);
            for (FaceResult f : r.faces()) {
                if (!f.scores().isEmpty() && (best.scores().isEmpty() || f.scores().get(0).value() > best.scores().get(0).value())) {
                    best = f;
                }
            }
            return best;
        }

        static String label(List<Score> scores) {
            StringBuilder sb = new StringBuilder();
            for (Score sc : scores) {
                if (sb.length() > 0) {
                    sb.append(" · ");
                }
                sb.append(sc.label() != null ? sc.label() + String.format(Locale.ROOT, " %.0f%%", 100 * sc.value())
                        : sc.scorer() + String.format(Locale.ROOT, " %.2f", sc.value()));
            }
            return sb.toString();
        }

        /** {@link #BINS} bins between the smallest and largest image score, as SVG bars with axis labels. */
        private String histogramSvg(String scorer) {
            if (histogram.count() == 0) {
                return "<p>No faces were scored.</p>";
            }
            double lo = histogram.min(), hi = histogram.max() > lo ? histogram.max() : lo + 1;
            long[] counts = histogram.bins(BINS);
            long max = java.util.Arrays.stream(counts).max().orElse(1);
            int w = 600, h = 160, bw = w / BINS;
            StringBuilder sb = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + (w + 40) + "\" height=\"" + (h + 40)
                    + "\" role=\"img\" aria-label=\"histogram of " + Text.html(scorer) + " scores\">");
            for (int i = 0; i < BINS; i++) {
                int bh = (int) Math.round((double) counts[i] / max * h);
                sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#e6007a\"><title>%.2f-%.2f: %d</title></rect>",
                        30 + i * bw, 10 + h - bh, bw - 2, bh, lo + (hi - lo) * i / BINS, lo + (hi - lo) * (i + 1) / BINS, counts[i]));
            }
            sb.append(String.format(Locale.ROOT, "<text x=\"30\" y=\"%d\" font-size=\"11\">%.2f</text><text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.2f</text>",
                    h + 25, lo, 30 + w, h + 25, histogram.max()));
            sb.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"20\" font-size=\"11\">%d</text><text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s score of each image (%d images)</text>",
                    max, 30 + w / 2, h + 38, Text.html(scorer), histogram.count()));
            return sb.append("</svg>").toString();
        }
    }
}
