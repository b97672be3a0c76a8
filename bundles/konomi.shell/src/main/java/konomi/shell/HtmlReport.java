package konomi.shell;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import konomi.util.AtomicFile;
import konomi.api.Face;
import konomi.api.Score;

/**
 * report.html: one self-contained page (thumbnails inlined as data URIs) with the run's figures, a histogram
 * of image scores (inline SVG) and a contact sheet of the top images, face boxes and scores drawn over them.
 */
final class HtmlReport {
    private final ScoreRun.Options o;
    private final List<ScoreRun.Shown> shown;
    private final List<Double> scores;
    private final int images, faces;
    private final List<String> errors;
    private final double seconds;

    HtmlReport(ScoreRun.Options o, List<ScoreRun.Shown> shown, List<Double> scores, int images, int faces, List<String> errors,
               double seconds) {
        this.o = o;
        this.shown = shown;
        this.scores = scores;
        this.images = images;
        this.faces = faces;
        this.errors = errors;
        this.seconds = seconds;
    }

    void write(Path file) {
        try (AtomicFile f = new AtomicFile(file, true)) {
            Writer w = f.writer();
            String first = o.scorers().get(0).name();
            w.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Konomi: " + esc(o.location()) + "</title>\n");
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
            w.write("<h1>Konomi: " + esc(o.location()) + "</h1>\n<p class=\"meta\">" + images + " images, " + faces + " faces, "
                    + errors.size() + " errors in " + String.format(Locale.ROOT, "%.1f", seconds) + " s; scorers "
                    + esc(String.join(", ", o.scorers().stream().map(s -> s.name() + " " + s.version()).toList()))
                    + (o.faces() ? "; every image taken as one face" : "; detector " + esc(o.detector().name() + " " + o.detector().version()))
                    + ". An image's score is its best face's " + esc(first) + " score.</p>\n");
            w.write("<h2>Scores</h2>\n" + histogram(first) + "\n");
            w.write("<h2>Top " + shown.size() + "</h2>\n<div class=\"grid\">\n");
            int rank = 1;
            for (ScoreRun.Shown s : shown) {
                card(w, rank++, s);
            }
            w.write("</div>\n");
            if (!errors.isEmpty()) {
                w.write("<h2>Errors</h2>\n<ul>\n");
                for (String e : errors) {
                    w.write("<li class=\"err\">" + esc(e) + "</li>\n");
                }
                w.write("</ul>\n");
            }
            w.write("</body></html>\n");
            f.commit();
        } catch (IOException e) {
            throw new konomi.api.KonomiException(file + ": cannot write report: " + e.getMessage(), e);
        }
    }

    private void card(Writer w, int rank, ScoreRun.Shown s) throws IOException {
        double k = Math.min(1.0, (double) o.reportSize() / Math.max(s.width(), s.height()));
        int dw = (int) Math.round(s.width() * k), dh = (int) Math.round(s.height() * k);
        w.write("<div class=\"card\"><div class=\"pic\" style=\"width:" + dw + "px;height:" + dh + "px\"><img width=\"" + dw
                + "\" height=\"" + dh + "\" alt=\"" + esc(s.summary().id()) + "\" src=\"data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(s.jpeg()) + "\">");
        if (!o.faces()) {
            for (int i = 0; i < s.faces().size(); i++) {
                Face f = s.faces().get(i);
                w.write(String.format(Locale.ROOT, "<div class=\"box\" style=\"left:%.2f%%;top:%.2f%%;width:%.2f%%;height:%.2f%%\"><span>%s</span></div>",
                        100.0 * f.box().x1() / s.width(), 100.0 * f.box().y1() / s.height(), 100.0 * f.box().width() / s.width(),
                        100.0 * f.box().height() / s.height(), esc(label(s.scores().get(i)))));
            }
        }
        w.write("</div><div class=\"cap\"><span class=\"rank\">#" + rank + "</span> " + esc(s.summary().id()) + "</div><div class=\"cap\">"
                + (s.faces().isEmpty() ? "no face" : esc(label(s.scores().get(bestFace(s))))) + "</div></div>\n");
    }

    private static int bestFace(ScoreRun.Shown s) {
        int best = 0;
        for (int i = 1; i < s.scores().size(); i++) {
            if (s.scores().get(i).get(0).value() > s.scores().get(best).get(0).value()) {
                best = i;
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

    /** 20 bins between the smallest and largest score, as SVG bars with axis labels. */
    private String histogram(String scorer) {
        if (scores.isEmpty()) {
            return "<p>No faces were scored.</p>";
        }
        double lo = scores.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = scores.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (hi - lo < 1e-9) {
            hi = lo + 1;
        }
        int bins = 20;
        int[] counts = new int[bins];
        for (double v : scores) {
            counts[Math.min(bins - 1, (int) ((v - lo) / (hi - lo) * bins))]++;
        }
        int max = java.util.Arrays.stream(counts).max().orElse(1);
        int w = 600, h = 160, bw = w / bins;
        StringBuilder sb = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + (w + 40) + "\" height=\"" + (h + 40)
                + "\" role=\"img\" aria-label=\"histogram of " + esc(scorer) + " scores\">");
        for (int i = 0; i < bins; i++) {
            int bh = (int) Math.round((double) counts[i] / max * h);
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#e6007a\"><title>%.2f-%.2f: %d</title></rect>",
                    30 + i * bw, 10 + h - bh, bw - 2, bh, lo + (hi - lo) * i / bins, lo + (hi - lo) * (i + 1) / bins, counts[i]));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"30\" y=\"%d\" font-size=\"11\">%.2f</text><text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.2f</text>",
                h + 25, lo, 30 + w, h + 25, hi));
        sb.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"20\" font-size=\"11\">%d</text><text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s score of each image (%d images)</text>",
                max, 30 + w / 2, h + 38, esc(scorer), scores.size()));
        return sb.append("</svg>").toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
