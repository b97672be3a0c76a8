package konomi.shell;

import java.util.Arrays;
import java.util.List;

/** Option parsing shared by the commands. */
final class Args {
    private Args() {
    }

    /** A comma-separated option as its non-blank names. */
    static List<String> names(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
    }
}
