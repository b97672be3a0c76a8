package konomi.shell;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An aligned text table, Karaf style: a header, a rule, then rows; the last column is not padded. For scripts
 * ({@code --no-format}, Karaf's name) the rows alone, cells separated by tabs, no header.
 */
final class Table {
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = headers;
    }

    Table row(Object... cells) {
        String[] r = new String[headers.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < cells.length && cells[i] != null ? String.valueOf(cells[i]) : "";
        }
        rows.add(r);
        return this;
    }

    int size() {
        return rows.size();
    }

    void print(PrintStream out) {
        print(out, true);
    }

    /** @param format aligned with a header, or (false) tab-separated rows only */
    void print(PrintStream out, boolean format) {
        if (!format) {
            rows.forEach(r -> out.println(String.join("\t", r)));
            return;
        }
        int[] w = new int[headers.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = headers[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        line(out, headers, w);
        String[] rule = new String[w.length];
        for (int i = 0; i < w.length; i++) {
            char[] dashes = new char[w[i]];
            Arrays.fill(dashes, '-');
            rule[i] = new String(dashes);
        }
        line(out, rule, w);
        rows.forEach(r -> line(out, r, w));
    }

    private static void line(PrintStream out, String[] cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append("  ");
            }
            sb.append(cells[i]);
            if (i < cells.length - 1) {
                sb.append(" ".repeat(w[i] - cells[i].length()));
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}
