package konomi.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code konomi [--debug] [--home DIR] [COMMAND ARGS... | run SCRIPT.gosh | serve]}.
 * No command: the interactive Gogo shell on a terminal, or, when stdin is not a terminal, the lines of
 * stdin as a script. A command, script or stdin: run it once the services it needs are registered, then
 * exit 0 (ok), 1 (a command failed) or 2 (usage error, unknown command). {@code serve}: the framework
 * with no shell at all, until SIGTERM or Ctrl-C.
 */
public final class Main {
    static final String USAGE = """
            usage: konomi [--debug] [--home DIR] [COMMAND [ARGS...]]
                   konomi [--debug] [--home DIR] run SCRIPT.gosh
                   konomi [--debug] [--home DIR] serve
            With no command konomi opens the interactive shell (type help, or help detect:run);
            with stdin not a terminal (a pipe, a file) it runs stdin's lines as a script.
            serve runs Konomi with no shell (hot deploy into deploy/, schedules run) until SIGTERM or Ctrl-C.
            Examples: konomi detect:run pictures/ --out faces.csv
                      konomi detect:list
                      konomi model:list""";

    private Main() {
    }

    public static void main(String[] args) {
        // Gogo replaces System.out/err with per-thread streams: keep the real ones
        PrintStream out = System.out, err = System.err;
        System.exit(run(args, out, err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean debug = false;
        String home = null;
        int i = 0;
        options:
        for (; i < args.length && args[i].startsWith("-"); i++) {
            switch (args[i]) {
                case "--debug" -> debug = true;
                case "--home" -> {
                    if (++i == args.length) {
                        err.println("konomi: --home needs a folder");
                        return GogoSession.USAGE;
                    }
                    home = args[i];
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return GogoSession.OK;
                }
                case "--" -> {
                    i++;
                    break options;
                }
                default -> {
                    err.println("konomi: unknown option " + args[i] + "\n" + USAGE);
                    return GogoSession.USAGE;
                }
            }
        }
        List<String> command = List.of(args).subList(i, args.length);
        String script = null;
        if (!command.isEmpty() && command.get(0).equals("run")) {
            if (command.size() != 2) {
                err.println("konomi: usage: konomi run SCRIPT.gosh");
                return GogoSession.USAGE;
            }
            script = command.get(1);
            if (!Files.isRegularFile(Path.of(script))) {
                err.println("konomi: " + script + ": script not found");
                return GogoSession.FAILED;
            }
        }
        boolean serve = !command.isEmpty() && command.get(0).equals("serve");
        if (serve && command.size() != 1) {
            err.println("konomi: usage: konomi serve");
            return GogoSession.USAGE;
        }
        KonomiHome h = KonomiHome.resolve(home);
        try {
            configureLogging(h, debug);
        } catch (LaunchException e) {
            err.println("konomi: " + e.getMessage());
            return GogoSession.FAILED;
        }
        Path dist = Path.of(System.getProperty("konomi.dist", "target/konomi"));
        String cuda = CudaCheck.problem(dist.resolve("lib"));
        if (cuda != null) {
            err.println("konomi: " + cuda);
            return GogoSession.FAILED;
        }
        boolean stdin = command.isEmpty() && !stdinIsTerminal();
        boolean interactive = command.isEmpty() && !stdin;
        KonomiRuntime.Mode mode = interactive ? KonomiRuntime.Mode.INTERACTIVE : serve ? KonomiRuntime.Mode.SERVE : KonomiRuntime.Mode.COMMAND;
        KonomiRuntime rt;
        try {
            rt = KonomiRuntime.start(dist, h.root(), mode, debug);
        } catch (LaunchException e) {
            err.println("konomi: " + e.getMessage());
            if (debug) {
                e.printStackTrace(err);
            }
            return GogoSession.FAILED;
        }
        try {
            rt.startFailures().forEach(f -> err.println("konomi: bundle failed to start: " + f));
            if (interactive) {
                out.println("Konomi shell: type help for the commands, help detect:run for one; Ctrl-D leaves.");
                rt.awaitStop();
                return GogoSession.OK;
            }
            if (serve) {
                return serve(rt, h, err);
            }
            // the extender loads models in the background: wait on its own promise, then for etc/ to be applied
            ModelsLoaded.await(rt.context(), 60_000);
            rt.awaitDeployed(5_000);
            // stdin's lines are the launcher's to read: the session gets none
            try (GogoSession session = new GogoSession(rt, stdin ? InputStream.nullInputStream() : System.in, out, err, debug)) {
                if (stdin) {
                    return runLines(session, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), "<stdin>", err);
                }
                return script != null ? runScript(session, Path.of(script), err) : runLine(session, commandLine(command), err);
            }
        } catch (LaunchException e) {
            err.println("konomi: " + e.getMessage());
            return GogoSession.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GogoSession.FAILED;
        } finally {
            out.flush();
            rt.close();
        }
    }

    private static int runLine(GogoSession session, String line, PrintStream err) {
        GogoSession.Result r = session.run(line);
        if (r.status() != GogoSession.OK) {
            err.println("konomi: " + r.message());
        }
        return r.status();
    }

    private static int runScript(GogoSession session, Path script, PrintStream err) {
        String text;
        try {
            text = Files.readString(script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("konomi: " + script + ": cannot read script: " + e.getMessage());
            return GogoSession.FAILED;
        }
        return runLines(session, new BufferedReader(new StringReader(text)), script.toString(), err);
    }

    /**
     * Runs statements as they complete, line by line, until the end of input or the first failure, which
     * is named {@code name:line}. Reading blocks and ends at EOF: nothing spins on a closed or idle stdin.
     */
    static int runLines(GogoSession session, BufferedReader in, String name, PrintStream err) {
        Scripts.Splitter splitter = new Scripts.Splitter();
        try {
            for (String line; ; ) {
                line = in.readLine();
                Scripts.Statement s = line == null ? splitter.finish() : splitter.feed(line);
                if (s != null) {
                    GogoSession.Result r = session.run(s.text());
                    if (r.status() != GogoSession.OK) {
                        err.println("konomi: " + name + ":" + s.line() + ": " + r.message());
                        return r.status();
                    }
                }
                if (line == null) {
                    return GogoSession.OK;
                }
            }
        } catch (IOException e) {
            err.println("konomi: " + name + ": cannot read: " + e.getMessage());
            return GogoSession.FAILED;
        }
    }

    /**
     * {@code konomi serve}: no shell; FileInstall keeps deploying. SIGTERM and SIGINT stop the framework and
     * the launcher exits 0; a shutdown hook stops it too when the JVM goes down another way.
     */
    private static int serve(KonomiRuntime rt, KonomiHome h, PrintStream err) throws InterruptedException {
        Thread hook = new Thread(rt::close, "konomi-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        for (String sig : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> rt.stop());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the hook still stops the framework (the JVM then exits 128+signal)
            }
        }
        err.println("konomi: serving, home " + h.root() + "; SIGTERM or Ctrl-C stops");
        err.flush();
        // schedules run from now on: first what deploy/ and etc/ hold must be in effect and the models loaded
        if (rt.running()) {
            ModelsLoaded.await(rt.context(), 60_000);
            rt.awaitDeployed(5_000);
        }
        String failed = rt.startScheduler();
        if (failed != null) {
            err.println("konomi: bundle failed to start: " + failed);
        }
        rt.awaitStop();
        rt.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs close() again, which is harmless
        }
        return GogoSession.OK;
    }

    /**
     * Whether stdin is a terminal. The launcher script knows for sure ({@code test -t 0}); without it,
     * where fd 0 points (Linux), else whether the JVM has a console.
     */
    static boolean stdinIsTerminal() {
        String told = System.getProperty("konomi.stdin.tty");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    /** Re-quotes the shell's words for Gogo, which would otherwise split or expand them again. */
    static String commandLine(List<String> words) {
        List<String> quoted = new ArrayList<>();
        for (String w : words) {
            if (w.matches("[\\w./:=,@+-]+")) {
                quoted.add(w);
            } else if (!w.contains("'")) {
                quoted.add("'" + w + "'");
            } else {
                quoted.add("\"" + w.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + "\"");
            }
        }
        return String.join(" ", quoted);
    }

    private static void configureLogging(KonomiHome h, boolean debug) {
        h.create();
        setIfAbsent("org.slf4j.simpleLogger.logFile", debug ? "System.err" : h.log().resolve("konomi.log").toString());
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "info");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        // HikariCP logs four lines each time the catalog opens or closes its pool: keep its warnings only
        setIfAbsent("org.slf4j.simpleLogger.log.com.zaxxer.hikari", debug ? "debug" : "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
