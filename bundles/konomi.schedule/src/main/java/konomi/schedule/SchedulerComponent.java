package konomi.schedule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import konomi.api.KonomiException;
import konomi.api.schedule.ScheduleEntry;
import konomi.api.schedule.Scheduler;

/**
 * The {@link Scheduler}: schedules live in {@code <home>/data/schedules.csv} (framework property {@code konomi.home}).
 * Every process can add, list and remove them; only a serving Konomi (framework property {@code konomi.mode=serve},
 * set by the launcher's {@code konomi serve}) runs them: one daemon timer thread ticks at each minute boundary
 * (see {@link ScheduleEngine}), and each run has a daemon thread of its own while it lasts. Configuration
 * ({@link ScheduleConfig}, PID {@code konomi.schedule}) is read at activation: a change restarts the component.
 */
// immediate: in konomi serve nobody asks for the service, yet the timer must run
@Component(configurationPid = ScheduleConfig.PID, service = Scheduler.class, immediate = true)
@Designate(ocd = ScheduleConfig.class)
public class SchedulerComponent implements Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerComponent.class);
    static final String MODE = "konomi.mode", SERVE = "serve";

    @Reference
    private CommandProcessor processor;
    @Reference
    private ServiceComponentRuntime scr;

    private ScheduleFile file;
    private Clock clock = Clock.systemDefaultZone();
    private ScheduledExecutorService timer;
    private ExecutorService runs;
    private ScheduleEngine engine;

    @Activate
    void activate(BundleContext context, ScheduleConfig config) {
        String home = context.getProperty("konomi.home");
        Path root = Path.of(home == null ? System.getProperty("user.home") + "/.konomi" : home);
        file = new ScheduleFile(root.resolve("data").resolve("schedules.csv"));
        if (!SERVE.equals(context.getProperty(MODE))) {
            return; // one-shot commands and the interactive shell keep schedules; konomi serve runs them
        }
        AtomicInteger n = new AtomicInteger();
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "konomi-schedule"));
        runs = Executors.newCachedThreadPool(r -> daemon(r, "konomi-schedule-run-" + n.incrementAndGet()));
        engine = new ScheduleEngine(file, clock, new GogoRunner(processor, context, scr, root.resolve("log")), runs);
        boolean catchUp = config.catchUp();
        timer.execute(() -> {
            try {
                engine.start(catchUp);
            } catch (RuntimeException e) {
                LOG.error("schedules: {}", e.getMessage(), e);
            }
            nextTick();
        });
        LOG.info("schedules from {} run in this process (catch-up {})", file.path(), catchUp ? "on" : "off");
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
            runs.shutdownNow();
        }
    }

    /** Schedules the next tick just after the next minute boundary of the wall clock (a tick that comes early is harmless). */
    private void nextTick() {
        Instant now = clock.instant();
        long delay = Duration.between(now, now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES)).toMillis() + 5;
        try {
            timer.schedule(() -> {
                try {
                    engine.tick();
                } catch (RuntimeException e) {
                    LOG.error("schedules: {}", e.getMessage(), e);
                } finally {
                    nextTick();
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // deactivated
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public ScheduleEntry add(String cron, String command) {
        CronSchedule c = CronSchedule.parse(cron);
        String cmd = command == null ? "" : command.strip();
        if (cmd.isEmpty()) {
            throw new KonomiException("empty command: give a command line (in quotes) or the path of a .gosh script");
        }
        if (GogoRunner.isScript(cmd)) {
            // the serving process has its own working directory: keep the script's absolute path
            Path script = Path.of(cmd).toAbsolutePath().normalize();
            if (!Files.isRegularFile(script)) {
                throw new KonomiException(script + ": script not found");
            }
            cmd = script.toString();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String finalCmd = cmd;
        Schedule[] added = new Schedule[1];
        file.update(list -> {
            added[0] = new Schedule(newId(list), c.expression(), finalCmd, now, null, null);
            list.add(added[0]);
            return list;
        });
        return entry(added[0], now);
    }

    @Override
    public List<ScheduleEntry> list() {
        Instant now = clock.instant();
        List<ScheduleEntry> out = new ArrayList<>();
        for (Schedule s : file.read()) {
            out.add(entry(s, now));
        }
        return out;
    }

    @Override
    public void remove(String id) {
        boolean[] found = new boolean[1];
        file.update(list -> {
            found[0] = list.removeIf(s -> s.id().equals(id));
            return list;
        });
        if (!found[0]) {
            throw new KonomiException("no schedule " + id + " (schedule:list shows the ids)");
        }
    }

    private ScheduleEntry entry(Schedule s, Instant now) {
        Instant next = CronSchedule.parse(s.cron()).nextAfter(now, clock.getZone()).orElse(null);
        return new ScheduleEntry(s.id(), s.cron(), s.command(), next, s.lastRun(), s.lastResult());
    }

    /** Four hex digits, unused in the file (ids are never reused while the file holds them). */
    static String newId(List<Schedule> existing) {
        while (true) {
            String id = String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
            if (existing.stream().noneMatch(s -> s.id().equals(id))) {
                return id;
            }
        }
    }
}
