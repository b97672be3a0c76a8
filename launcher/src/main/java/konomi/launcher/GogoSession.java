package konomi.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Runs Gogo command lines from the launcher, outside any bundle. Gogo's API lives in the gogo.runtime
 * bundle, which the launcher's class loader cannot see, so the calls go through reflection on the
 * interfaces loaded from that bundle. Before a line runs, the launcher waits until its command is
 * registered (DS registers commands asynchronously at start-up), so scripts never race start-up.
 */
public final class GogoSession implements AutoCloseable {
    static final int OK = 0, FAILED = 1, USAGE = 2;
    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";
    private static final Pattern COMMAND = Pattern.compile("^\\s*(?:([A-Za-z_][\\w.-]*):)?([A-Za-z_][\\w-]*)(\\s*=)?");

    private final BundleContext ctx;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean debug;
    private final Object session;
    private final Method execute;
    private final Method format;
    private final Method close;
    private final KonomiRuntime runtime;

    /** The outcome of a line: exit status and the one-line message printed for failures. */
    public record Result(int status, String message) {
    }

    public GogoSession(KonomiRuntime rt, InputStream in, PrintStream out, PrintStream err, boolean debug) {
        this.ctx = rt.context();
        this.runtime = rt;
        this.out = out;
        this.err = err;
        this.debug = debug;
        // gogo.runtime registers its processor while it starts, which the launcher has done synchronously:
        // the bound only covers a broken build
        ServiceReference<?>[] found = new ServiceReference<?>[1];
        rt.await(() -> (found[0] = first(ctx, PROCESSOR)) != null, 10_000);
        ServiceReference<?> ref = found[0];
        if (ref == null) {
            throw new LaunchException("the Gogo shell did not start (is org.apache.felix.gogo.runtime in bundle/?)");
        }
        try {
            Object processor = ctx.getService(ref);
            ClassLoader gogo = processor.getClass().getClassLoader();
            Class<?> processorType = gogo.loadClass(PROCESSOR);
            Class<?> sessionType = gogo.loadClass(SESSION);
            session = processorType.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class)
                    .invoke(processor, in, out, err);
            execute = sessionType.getMethod("execute", CharSequence.class);
            format = sessionType.getMethod("format", Object.class, int.class);
            close = sessionType.getMethod("close");
        } catch (ReflectiveOperationException e) {
            throw new LaunchException("cannot open a Gogo session: " + e, e);
        }
    }

    /** Runs one statement; prints its result (if any) on out and a one-line error on err. */
    public Result run(String line) {
        String missing = awaitCommand(line);
        if (missing != null) {
            return new Result(FAILED, missing);
        }
        try {
            Object result = execute.invoke(session, line);
            // an assignment (feed = "https://...") sets a variable; echoing its value is noise in a script
            Matcher m = COMMAND.matcher(line);
            boolean assignment = m.find() && m.group(1) == null && m.group(3) != null;
            if (result != null && !assignment) {
                out.println(format.invoke(session, result, 0));
            }
            out.flush();
            return new Result(OK, null);
        } catch (InvocationTargetException e) {
            return failure(line, e.getCause());
        } catch (ReflectiveOperationException e) {
            return failure(line, e);
        }
    }

    private Result failure(String line, Throwable t) {
        out.flush();
        while (t instanceof InvocationTargetException && t.getCause() != null) {
            t = t.getCause(); // reflection inside a command: its own failure is the cause
        }
        String type = t.getClass().getName();
        String msg = t.getMessage() == null ? t.toString() : t.getMessage();
        int status;
        if (CudaCheck.isCudaFailure(t)) {
            // the launcher checked for the driver; this is the backend failing anyway (a driver too old ...)
            status = FAILED;
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            msg = "ND4J's CUDA backend did not load: " + (root.getMessage() == null ? root : root.getMessage())
                    + " (build without -Pcuda for the CPU backend)";
        } else if (type.endsWith("CommandNotFoundException")) {
            status = USAGE;
            msg = "unknown command: " + msg.replaceFirst("^Command not found: ", "") + " (konomi help lists the commands)";
        } else if (type.endsWith("SyntaxError")) {
            status = USAGE;
            msg = "syntax error: " + msg;
        } else if (t instanceof IllegalArgumentException) {
            status = USAGE;
            Matcher m = COMMAND.matcher(line);
            String cmd = m.find() ? (m.group(1) == null ? "" : m.group(1) + ":") + m.group(2) : line;
            msg = msg.startsWith("Cannot coerce") ? "wrong arguments for " + cmd + " (konomi help " + cmd + " shows its usage)" : msg;
        } else {
            status = FAILED;
            if (!type.startsWith("konomi.")) {
                msg = type.substring(type.lastIndexOf('.') + 1) + ": " + msg;
            }
        }
        if (debug) {
            t.printStackTrace(err);
        }
        return new Result(status, msg);
    }

    /**
     * Waits until the line's command is registered, if a component declares it and its service is not
     * registered yet (DS registers it once the component's references are satisfied). A command that no
     * component declares does not exist: Gogo reports it at once. The bound is a last resort for a
     * component whose references never come.
     *
     * @return null to run the line, else why its command is not available
     */
    String awaitCommand(String line) {
        Matcher m = COMMAND.matcher(line);
        if (!m.find() || m.group(3) != null) {
            return null; // not a command call (assignment, closure ...)
        }
        String scope = m.group(1), function = m.group(2);
        String filter = "(&(osgi.command.function=" + function + ")" + (scope == null ? "(osgi.command.scope=*)" : "(osgi.command.scope=" + scope + ")") + ")";
        if (registered(filter) || !runtime.commandDeclared(scope, function) || runtime.await(() -> registered(filter), COMMAND_BOUND_MS)) {
            return null;
        }
        String cmd = (scope == null ? "" : scope + ":") + function;
        return cmd + " is not available: the component that provides it still misses a service after "
                + COMMAND_BOUND_MS / 1000 + " s (konomi --debug shows why)";
    }

    /** Last resort only: a declared command normally registers as soon as its component's references are there. */
    private static final long COMMAND_BOUND_MS = 15_000;

    private boolean registered(String filter) {
        try {
            ServiceReference<?>[] refs = ctx.getAllServiceReferences(null, filter);
            return refs != null && refs.length > 0;
        } catch (InvalidSyntaxException e) {
            return true; // not a name Gogo could call either: let it say so
        }
    }

    /**
     * The launcher sees none of the bundles' classes, so it asks for all references: the assignability
     * filter of getServiceReference would hide services whose package the system bundle cannot wire to.
     */
    static ServiceReference<?> first(BundleContext ctx, String type) {
        try {
            ServiceReference<?>[] refs = ctx.getAllServiceReferences(type, null);
            return refs == null ? null : java.util.Arrays.stream(refs).max(Comparable::compareTo).orElse(null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        try {
            close.invoke(session);
        } catch (ReflectiveOperationException | IllegalStateException ignored) {
            // the framework is going down anyway
        }
    }
}
