package konomi.schedule;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import konomi.api.KonomiException;

/**
 * When schedules fire, in a serving Konomi. {@link #start} once, then {@link #tick} at every minute boundary (Unix
 * cron's resolution; the caller's timer): a tick re-reads the file only when it changed (a {@code schedule:add} or
 * {@code schedule:rm} by another process is seen at the next minute), fires every schedule whose time has come and
 * computes its next time. Time comes from the clock given, so tests drive it. Runs go to the executor given, one at a
 * time per schedule: a schedule that fires while its previous run still goes records {@code skipped: still running}.
 * Each run's start and result are saved to the file as soon as it ends.
 */
final class ScheduleEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleEngine.class);
    static final String OK = "ok", SKIPPED = "skipped: still running", FAILED = "failed: ";

    private final ScheduleFile file;
    private final Clock clock;
    private final CommandRunner runner;
    private final Executor runs;
    /** What each known schedule is and when it fires next (empty: never again). Guarded by this. */
    private final Map<String, Known> known = new HashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private Object seenVersion;
    private Instant lastTick;
    private String lastProblem;

    private record Known(Schedule schedule, CronSchedule cron, Optional<Instant> next) {
        boolean same(Schedule s) {
            return s.cron().equals(schedule.cron()) && s.command().equals(schedule.command()) && s.created().equals(schedule.created());
        }
    }

    ScheduleEngine(ScheduleFile file, Clock clock, CommandRunner runner, Executor runs) {
        this.file = file;
        this.clock = clock;
        this.runner = runner;
        this.runs = runs;
    }

    /**
     * Reads the schedules. With {@code catchUp}, a schedule whose cron fired at least once between its last run (or,
     * never run, its creation) and now runs once now; the others, and all of them without catch-up, wait for their
     * next time after now.
     */
    synchronized void start(boolean catchUp) {
        Instant now = clock.instant();
        List<Schedule> all = readOrNull();
        if (all == null) {
            lastTick = now;
            return;
        }
        for (Schedule s : all) {
            CronSchedule cron = CronSchedule.parse(s.cron());
            Instant since = s.lastRun() != null ? s.lastRun() : s.created();
            if (catchUp && cron.firedBetween(since, now, clock.getZone())) {
                LOG.info("schedule {}: missed a run since {}; running it once now (catch-up)", s.id(), since);
                fire(s, now);
            }
            known.put(s.id(), new Known(s, cron, cron.nextAfter(now, clock.getZone())));
        }
        lastTick = now;
    }

    /** Fires what is due; call at each minute boundary (earlier or more often is harmless). */
    synchronized void tick() {
        Instant now = clock.instant();
        Object v = file.version();
        if (!Objects.equals(v, seenVersion)) {
            List<Schedule> all = readOrNull();
            if (all != null) {
                reconcile(all);
            }
        }
        for (Known k : List.copyOf(known.values())) {
            if (k.next().isPresent() && !k.next().get().isAfter(now)) {
                fire(k.schedule(), now);
                known.put(k.schedule().id(), new Known(k.schedule(), k.cron(), k.cron().nextAfter(now, clock.getZone())));
            }
        }
        lastTick = now;
    }

    /**
     * Takes the file's schedules: removed ones are forgotten (a run going on finishes), known ones keep their next
     * time, new (or changed) ones fire at their first time after they were added or the previous tick, whichever is
     * later, so a schedule added between two ticks whose time fell in between runs at this tick.
     */
    private void reconcile(List<Schedule> all) {
        Map<String, Known> now = new HashMap<>();
        for (Schedule s : all) {
            Known k = known.get(s.id());
            if (k != null && k.same(s)) {
                now.put(s.id(), new Known(s, k.cron(), k.next()));
            } else {
                CronSchedule cron = CronSchedule.parse(s.cron());
                Instant from = lastTick == null || s.created().isAfter(lastTick) ? s.created() : lastTick;
                now.put(s.id(), new Known(s, cron, cron.nextAfter(from, clock.getZone())));
            }
        }
        known.clear();
        known.putAll(now);
    }

    /** The schedules as last read, or null when the file is unusable (logged once per problem; nothing is written). */
    private List<Schedule> readOrNull() {
        Object v = file.version();
        try {
            List<Schedule> all = file.read();
            seenVersion = v;
            lastProblem = null;
            return all;
        } catch (KonomiException e) {
            seenVersion = v;
            if (!e.getMessage().equals(lastProblem)) {
                LOG.error("{}", e.getMessage());
                lastProblem = e.getMessage();
            }
            return null;
        }
    }

    private void fire(Schedule s, Instant at) {
        String id = s.id();
        if (!running.add(id)) {
            LOG.info("schedule {}: previous run still going; skipped", id);
            record(id, x -> x.withResult(SKIPPED));
            return;
        }
        try {
            runs.execute(() -> {
                String outcome;
                try {
                    runner.run(s);
                    outcome = OK;
                } catch (Exception | LinkageError e) {
                    outcome = FAILED + oneLine(e);
                }
                String result = outcome;
                try {
                    record(id, x -> x.withRun(at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), result));
                } finally {
                    running.remove(id);
                }
            });
        } catch (RejectedExecutionException e) {
            running.remove(id); // shutting down
        }
    }

    /** Whether a run of this schedule is going on. */
    boolean isRunning(String id) {
        return running.contains(id);
    }

    private void record(String id, java.util.function.UnaryOperator<Schedule> change) {
        try {
            file.update(list -> {
                list.replaceAll(x -> x.id().equals(id) ? change.apply(x) : x);
                return list;
            });
        } catch (KonomiException e) {
            LOG.error("schedule {}: result not saved: {}", id, e.getMessage());
        }
    }

    /** A failure as one line: its message's first line (or its type), at most 300 characters. */
    static String oneLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            m = t.getClass().getSimpleName();
        } else if (t.getClass().getSimpleName().equals("CommandNotFoundException")) {
            m = "unknown command: " + m.replaceFirst("^Command not found: ", ""); // as the launcher says it
        } else if (!(t instanceof KonomiException) && !t.getClass().getName().startsWith("konomi.")) {
            m = t.getClass().getSimpleName() + ": " + m;
        }
        m = m.strip().lines().findFirst().orElse("").replace('\t', ' ');
        return m.length() > 300 ? m.substring(0, 297) + "..." : m;
    }
}
