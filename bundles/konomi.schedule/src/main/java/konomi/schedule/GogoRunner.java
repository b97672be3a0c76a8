package konomi.schedule;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

import konomi.api.KonomiException;

/**
 * Runs a schedule through Gogo's {@link CommandProcessor}, in a session of its own whose output (and the commands'
 * {@code System.out}, which Gogo redirects per session) is appended to {@code <home>/log/schedule-<id>.log}. A
 * command that is the path of a {@code .gosh} file is a script, run as {@code konomi run script.gosh} runs it:
 * statement by statement, stopping at the first failure, named {@code script.gosh:line}. Before a statement runs,
 * its command must be registered: DS registers commands asynchronously, so this waits (on service events, at most
 * {@link #COMMAND_WAIT_S} s) for it.
 */
final class GogoRunner implements CommandRunner {
    static final long COMMAND_WAIT_S = 30;
    private static final Pattern COMMAND = Pattern.compile("^\\s*(?:([A-Za-z_][\\w.-]*):)?([A-Za-z_][\\w-]*)(\\s*=)?");

    private final CommandProcessor processor;
    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final Path logDir;

    GogoRunner(CommandProcessor processor, BundleContext context, ServiceComponentRuntime scr, Path logDir) {
        this.processor = processor;
        this.context = context;
        this.scr = scr;
        this.logDir = logDir;
    }

    /** Whether a schedule's command is a script: one word naming a {@code .gosh} file. */
    static boolean isScript(String command) {
        String c = command.strip();
        return c.endsWith(".gosh") && !c.contains(" ");
    }

    @Override
    public void run(Schedule s) throws Exception {
        Files.createDirectories(logDir);
        Path log = logDir.resolve("schedule-" + s.id() + ".log");
        try (OutputStream o = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8)) {
            out.println("=== " + Instant.now() + " schedule " + s.id() + " (" + s.cron() + "): " + s.command());
            CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out);
            try {
                if (isScript(s.command())) {
                    runScript(session, Path.of(s.command().strip()), out);
                } else {
                    execute(session, s.command(), out);
                }
                out.println("=== ok");
            } catch (Exception e) {
                out.println("=== failed: " + ScheduleEngine.oneLine(e));
                throw e;
            } finally {
                session.close();
            }
        }
    }

    private void runScript(CommandSession session, Path script, PrintStream out) throws Exception {
        String text;
        try {
            text = Files.readString(script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KonomiException(script + ": cannot read script: " + e.getMessage(), e);
        }
        for (GoshStatements.Statement st : GoshStatements.split(text)) {
            try {
                execute(session, st.text(), out);
            } catch (Exception e) {
                throw new KonomiException(script.getFileName() + ":" + st.line() + ": " + ScheduleEngine.oneLine(e), e);
            }
        }
    }

    private void execute(CommandSession session, String line, PrintStream out) throws Exception {
        awaitCommand(line);
        Object result = session.execute(line);
        if (result != null) {
            out.println(session.format(result, Converter.INSPECT));
        }
    }

    /**
     * Waits until the statement's command ({@code scope:function} or {@code function}) is registered, within a bound,
     * if a component declares it (as the launcher does): a command no component declares is Gogo's own or does not
     * exist, and Gogo says which at once.
     */
    private void awaitCommand(String line) throws InterruptedException {
        Matcher m = COMMAND.matcher(line);
        if (!m.find() || m.group(3) != null) {
            return; // an assignment, a closure ...: nothing to wait for
        }
        String scope = m.group(1), function = m.group(2);
        Filter filter;
        try {
            filter = FrameworkUtil.createFilter("(&(osgi.command.function=" + function + ")"
                    + (scope == null ? "(osgi.command.scope=*)" : "(osgi.command.scope=" + scope + ")") + ")");
        } catch (InvalidSyntaxException e) {
            return; // not a name Gogo could call either: it says so
        }
        if (!declared(scope, function)) {
            return;
        }
        ServiceTracker<Object, Object> t = new ServiceTracker<>(context, filter, null);
        t.open(true);
        try {
            t.waitForService(TimeUnit.SECONDS.toMillis(COMMAND_WAIT_S)); // absent after that: Gogo reports it
        } finally {
            t.close();
        }
    }

    private boolean declared(String scope, String function) {
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.properties != null && values(d.properties.get("osgi.command.function")).contains(function)
                    && (scope == null || values(d.properties.get("osgi.command.scope")).contains(scope))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> values(Object v) {
        if (v instanceof String[] a) {
            return List.of(a);
        }
        return v == null ? List.of() : List.of(String.valueOf(v));
    }
}
