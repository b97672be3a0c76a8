package konomi.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code .gosh} script into statements with the line each starts on, by the rules of the launcher's
 * {@code konomi run script.gosh} (launcher {@code konomi.launcher.Scripts}, which bundles cannot see): a statement
 * continues over lines while a bracket or quote is open or a line ends with a backslash; lines starting with
 * {@code #} are comments. Keep the two in step.
 */
final class GoshStatements {
    record Statement(int line, String text) {
    }

    private GoshStatements() {
    }

    static List<Statement> split(String script) {
        List<Statement> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int lineNo = 0, start = 0, depth = 0;
        char quote = 0;
        for (String line : script.split("\r?\n", -1)) {
            lineNo++;
            if (cur.length() == 0) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
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
                out.add(new Statement(start, cur.toString().strip()));
                cur.setLength(0);
            }
        }
        if (cur.length() > 0) {
            out.add(new Statement(start, cur.toString().strip())); // unclosed: Gogo rejects it
        }
        return out;
    }
}
