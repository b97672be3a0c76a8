package konomi.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Gogo script into statements, remembering the line each starts on, so that the first failing
 * statement can be reported as {@code file:line}. A statement continues over lines while a bracket or
 * quote is open or a line ends with a backslash; lines starting with # are comments. Scripts and piped
 * stdin split the same way; stdin is fed line by line, so each statement runs as soon as it is complete.
 */
final class Scripts {
    record Statement(int line, String text) {
    }

    private Scripts() {
    }

    static List<Statement> split(String script) {
        List<Statement> out = new ArrayList<>();
        Splitter s = new Splitter();
        for (String line : script.split("\r?\n", -1)) {
            Statement st = s.feed(line);
            if (st != null) {
                out.add(st);
            }
        }
        Statement rest = s.finish();
        if (rest != null) {
            out.add(rest);
        }
        return out;
    }

    /** Incremental splitting: one line in, a statement out once it is complete. */
    static final class Splitter {
        private final StringBuilder cur = new StringBuilder();
        private int lineNo, start, depth;
        private char quote;

        /** Takes the next line (without its line break); returns the statement it completes, or null. */
        Statement feed(String line) {
            lineNo++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (cur.length() == 0) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    return null;
                }
                start = lineNo;
            }
            boolean escaped = false;
            for (char c : line.toCharArray()) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '{' || c == '(' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ')' || c == ']') {
                    depth = Math.max(0, depth - 1);
                }
            }
            boolean continued = line.endsWith("\\");
            cur.append(continued ? line.substring(0, line.length() - 1) : line).append('\n');
            if (depth == 0 && quote == 0 && !continued) {
                return take();
            }
            return null;
        }

        /** The end of input: an unfinished statement (an unclosed bracket) is returned as it is, for Gogo to reject. */
        Statement finish() {
            return cur.length() > 0 ? take() : null;
        }

        private Statement take() {
            Statement s = new Statement(start, cur.toString().strip());
            cur.setLength(0);
            depth = 0;
            quote = 0;
            return s;
        }
    }
}
