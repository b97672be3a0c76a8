package konomi.shell;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code help}: Konomi's own commands first, grouped by scope, each with the first sentence of its description;
 * {@code help <command>} shows one command's full usage (Gogo's {@code felix:help}, which also lists every other
 * command).
 */
@Component(service = HelpCommand.class, property = {"osgi.command.scope=konomi", "osgi.command.function=help"})
public class HelpCommand {
    private static final String SCOPE = "osgi.command.scope", FUNCTION = "osgi.command.function";
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("list Konomi's commands with what each does; help <command> shows a command's options")
    public void help(CommandSession session) throws InvalidSyntaxException {
        Map<String, List<String[]>> byScope = new TreeMap<>();
        ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(&(" + SCOPE + "=*)(" + FUNCTION + "=*))");
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            if (!ref.getBundle().getSymbolicName().startsWith("konomi.")) {
                continue; // Konomi's own only; felix:help lists the rest
            }
            String scope = String.valueOf(ref.getProperty(SCOPE));
            Object service = context.getService(ref);
            try {
                for (String function : functions(ref.getProperty(FUNCTION))) {
                    byScope.computeIfAbsent(scope, k -> new ArrayList<>()).add(new String[] {scope + ":" + function, summary(service, function)});
                }
            } finally {
                context.ungetService(ref);
            }
        }
        StringBuilder sb = new StringBuilder();
        byScope.forEach((scope, commands) -> {
            commands.sort((a, b) -> a[0].compareTo(b[0]));
            int w = commands.stream().mapToInt(c -> c[0].length()).max().orElse(0);
            for (String[] c : commands) {
                sb.append("  ").append(c[0]).append(" ".repeat(w - c[0].length() + 2)).append(c[1]).append('\n');
            }
            sb.append('\n');
        });
        sb.append("help <command> shows a command's options (e.g. help score:run); felix:help lists every command, Gogo's and Felix's too.");
        System.out.println(sb);
    }

    @Descriptor("show a command's description, options and parameters")
    public Object help(CommandSession session, @Descriptor("command, e.g. score:run") String command) throws Exception {
        return session.execute("felix:help '" + command.replace("'", "") + "'");
    }

    private static List<String> functions(Object property) {
        if (property instanceof String[] a) {
            return Arrays.asList(a);
        }
        if (property instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(property));
    }

    /**
     * The first sentence of the function's @Descriptor, from its overload with the fewest parameters. Gogo maps
     * {@code lr-find} to a method {@code lrFind} (or {@code _main}) and a keyword like {@code package} to {@code _package}.
     */
    static String summary(Object service, String function) {
        String s = summaryOf(service, function.replace("-", "").toLowerCase(java.util.Locale.ROOT));
        return s.isEmpty() ? summaryOf(service, "main") : s; // Gogo calls _main when no method matches
    }

    private static String summaryOf(Object service, String wanted) {
        return Arrays.stream(service.getClass().getMethods())
                .filter(m -> m.getAnnotation(Descriptor.class) != null)
                .filter(m -> m.getName().replaceFirst("^_", "").toLowerCase(java.util.Locale.ROOT).equals(wanted))
                .min(java.util.Comparator.comparingInt(Method::getParameterCount))
                .map(m -> firstSentence(m.getAnnotation(Descriptor.class).value())).orElse("");
    }

    /** Up to the first '.', ';' or ':' followed by a space, outside parentheses. */
    static String firstSentence(String text) {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0 && (c == '.' || c == ';' || c == ':') && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
                return text.substring(0, i);
            }
        }
        return text;
    }
}
