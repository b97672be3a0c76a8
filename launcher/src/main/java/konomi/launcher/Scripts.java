package konomi.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Gogo script into statements, remembering the line each starts on, so that the first failing
 * statement can be reported as {@code file:line}. A statement continues over lines while a bracket or
 * quote is open or a line ends with a backslash; lines starting with # are comments.
 */
final class Scripts {
    record Statement(int line, String text) {
    }

    private Scripts() {
    }

    static List<Statement> split(String script) {
        List<Statement> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int start = 0, depth = 0;
        char quote = 0;
        String[] lines = script.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (cur.length() == 0) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                start = i + 1;
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
                out.add(new Statement(start, cur.toString().strip()));
                cur.setLength(0);
            }
        }
        if (cur.length() > 0) {
            out.add(new Statement(start, cur.toString().strip()));
        }
        return out;
    }
}
