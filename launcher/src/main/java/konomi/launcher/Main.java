package konomi.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code konomi [--debug] [--home DIR] [COMMAND ARGS... | run SCRIPT.gosh]}.
 * No command: the interactive Gogo shell. A command or script: run it once the services it needs are
 * registered, then exit 0 (ok), 1 (the command failed) or 2 (usage error, unknown command).
 */
public final class Main {
    static final String USAGE = """
            usage: konomi [--debug] [--home DIR] [COMMAND [ARGS...]]
                   konomi [--debug] [--home DIR] run SCRIPT.gosh
            With no command konomi opens the interactive shell (type help, or help detect:run).
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
        KonomiHome h = KonomiHome.resolve(home);
        try {
            configureLogging(h, debug);
        } catch (LaunchException e) {
            err.println("konomi: " + e.getMessage());
            return GogoSession.FAILED;
        }
        Path dist = Path.of(System.getProperty("konomi.dist", "target/konomi"));
        boolean interactive = command.isEmpty();
        KonomiRuntime rt;
        try {
            rt = KonomiRuntime.start(dist, h.root(), interactive, debug);
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
            rt.awaitDeployed(5_000);
            ModelsLoaded.await(rt.context(), 60_000); // the model extender loads in the background
            try (GogoSession session = new GogoSession(rt, System.in, out, err, debug)) {
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
        for (Scripts.Statement s : Scripts.split(text)) {
            GogoSession.Result r = session.run(s.text());
            if (r.status() != GogoSession.OK) {
                err.println("konomi: " + script + ":" + s.line() + ": " + r.message());
                return r.status();
            }
        }
        return GogoSession.OK;
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
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
