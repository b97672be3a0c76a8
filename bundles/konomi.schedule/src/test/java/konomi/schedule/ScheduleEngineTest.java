package konomi.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine with a clock the test moves and a runner that records (and, when told, blocks): no real waiting for cron. */
class ScheduleEngineTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:30Z");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private final ExecutorService runs = Executors.newCachedThreadPool();
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        runs.shutdownNow();
    }

    private ScheduleFile file(Schedule... schedules) {
        ScheduleFile f = new ScheduleFile(dir.resolve("data/schedules.csv"));
        f.update(list -> new ArrayList<>(List.of(schedules)));
        return f;
    }

    private ScheduleEngine engine(ScheduleFile f, CommandRunner runner) {
        return new ScheduleEngine(f, clock, runner, runs);
    }

    /** Waits until every run handed to the executor so far has finished (and recorded its result). */
    private void drain() throws InterruptedException {
        runs.shutdown();
        assertThat(runs.awaitTermination(10, TimeUnit.SECONDS)).as("runs finish").isTrue();
    }

    private static Schedule schedule(String id, String cron, String command, Instant created, Instant lastRun) {
        return new Schedule(id, cron, command, created, lastRun, null);
    }

    @Test
    void firesAtItsTimeRecordsTheRunAndNotBefore() throws Exception {
        ScheduleFile f = file(schedule("a", "5 10 * * *", "detect:list", T0.minusSeconds(60), null),
                schedule("b", "* * * * *", "boom", T0.minusSeconds(10), null));
        // runs on the ticking thread: b's 10:01 run is over before its 10:05 firing (on a pool, a slow machine
        // could still be running it then, and the firing would rightly be skipped)
        ScheduleEngine e = new ScheduleEngine(f, clock, s -> {
            ran.add(s.id());
            if (s.command().equals("boom")) {
                throw new IllegalStateException("it broke\nsecond line");
            }
        }, Runnable::run);
        e.start(true);
        assertThat(ran).isEmpty();
        clock.set(Instant.parse("2026-12-01T10:01:00.005Z"));
        e.tick();
        clock.set(Instant.parse("2026-12-01T10:04:59.990Z")); // early tick: nothing of a's yet
        e.tick();
        clock.set(Instant.parse("2026-12-01T10:05:00.005Z"));
        e.tick();
        // b fires every minute: at 10:01, at 10:04 (seen by the early tick) and at 10:05, after a
        assertThat(ran).containsExactly("b", "b", "a", "b");
        List<Schedule> saved = f.read();
        assertThat(saved.get(0).lastRun()).isEqualTo(Instant.parse("2026-12-01T10:05:00.005Z"));
        assertThat(saved.get(0).lastResult()).isEqualTo("ok");
        assertThat(saved.get(1).lastResult()).isEqualTo("failed: IllegalStateException: it broke");
    }

    @Test
    void aFiringDuringARunIsSkippedAndRecorded() throws Exception {
        ScheduleFile f = file(schedule("slow", "* * * * *", "train:run", T0, null));
        CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
        ScheduleEngine e = engine(f, s -> {
            ran.add(s.id());
            started.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
        });
        e.start(true);
        clock.set(Instant.parse("2026-12-01T10:01:00.005Z"));
        e.tick();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(e.isRunning("slow")).isTrue();
        clock.set(Instant.parse("2026-12-01T10:02:00.005Z"));
        e.tick();
        assertThat(f.read().get(0).lastResult()).isEqualTo("skipped: still running");
        assertThat(ran).hasSize(1);
        release.countDown();
        drain();
        assertThat(ran).as("no second run started").hasSize(1);
        Schedule s = f.read().get(0);
        assertThat(s.lastResult()).isEqualTo("ok");
        assertThat(s.lastRun()).isEqualTo(Instant.parse("2026-12-01T10:01:00.005Z"));
    }

    @Test
    void catchUpRunsAMissedScheduleOnceAtStart() throws Exception {
        // hourly; last ran at 07:00, Konomi was stopped from 07:30 to now (10:00:30): 08:00, 09:00 and 10:00 missed
        ScheduleFile f = file(schedule("missed", "0 * * * *", "detect:list", T0.minus(Duration.ofDays(1)), Instant.parse("2026-12-01T07:00:00Z")),
                schedule("neverRan", "0 9 * * *", "detect:list", Instant.parse("2026-12-01T08:00:00Z"), null),
                schedule("notDue", "0 9 * * *", "detect:list", Instant.parse("2026-12-01T09:30:00Z"), null),
                schedule("upToDate", "0 * * * *", "detect:list", T0.minus(Duration.ofDays(1)), Instant.parse("2026-12-01T10:00:00Z")));
        ScheduleEngine e = engine(f, s -> ran.add(s.id()));
        e.start(true);
        clock.set(Instant.parse("2026-12-01T10:01:00.005Z"));
        e.tick();
        clock.set(Instant.parse("2026-12-01T10:02:00.005Z"));
        e.tick();
        drain();
        assertThat(ran).containsExactlyInAnyOrder("missed", "neverRan");
        assertThat(f.read().get(0).lastRun()).isEqualTo(T0);
    }

    @Test
    void noCatchUpWhenItIsOff() throws Exception {
        ScheduleFile f = file(schedule("missed", "0 * * * *", "detect:list", T0.minus(Duration.ofDays(1)), Instant.parse("2026-12-01T07:00:00Z")));
        ScheduleEngine e = engine(f, s -> ran.add(s.id()));
        e.start(false);
        clock.set(Instant.parse("2026-12-01T10:59:00.005Z"));
        e.tick();
        drain();
        assertThat(ran).isEmpty();
        assertThat(f.read().get(0).lastRun()).isEqualTo(Instant.parse("2026-12-01T07:00:00Z"));
    }

    @Test
    void nextHourAfterCatchUpOffStillRuns() throws Exception {
        ScheduleFile f = file(schedule("missed", "0 * * * *", "detect:list", T0.minus(Duration.ofDays(1)), Instant.parse("2026-12-01T07:00:00Z")));
        ScheduleEngine e = engine(f, s -> ran.add(s.id()));
        e.start(false);
        clock.set(Instant.parse("2026-12-01T11:00:00.005Z"));
        e.tick();
        drain();
        assertThat(ran).containsExactly("missed");
    }

    @Test
    void scheduleAddedByAnotherProcessIsSeenAtTheNextTick() throws Exception {
        ScheduleFile f = file();
        ScheduleEngine e = engine(f, s -> ran.add(s.id()));
        e.start(true);
        // another process (its own ScheduleFile) adds one at 10:00:40; the serving process ticks at 10:01
        new ScheduleFile(dir.resolve("data/schedules.csv")).update(list -> {
            list.add(schedule("new", "* * * * *", "detect:list", Instant.parse("2026-12-01T10:00:40Z"), null));
            return list;
        });
        clock.set(Instant.parse("2026-12-01T10:01:00.005Z"));
        e.tick();
        // ... and removes it again before 10:02
        new ScheduleFile(dir.resolve("data/schedules.csv")).update(list -> new ArrayList<>());
        clock.set(Instant.parse("2026-12-01T10:02:00.005Z"));
        e.tick();
        drain();
        assertThat(ran).containsExactly("new");
    }

    @Test
    void failuresAreOneLine() {
        assertThat(ScheduleEngine.oneLine(new konomi.api.KonomiException("pics/: folder not found\nmore"))).isEqualTo("pics/: folder not found");
        assertThat(ScheduleEngine.oneLine(new IllegalArgumentException())).isEqualTo("IllegalArgumentException");
        assertThat(ScheduleEngine.oneLine(new RuntimeException("x".repeat(400)))).hasSize(300).endsWith("...");
    }

    @Test
    void aCorruptFileStopsNothingAndIsLeftAlone() throws Exception {
        ScheduleFile f = file(schedule("a", "* * * * *", "detect:list", T0, null));
        ScheduleEngine e = engine(f, s -> ran.add(s.id()));
        e.start(true);
        String garbage = "id,cron\nthis is not it\n";
        Files.writeString(f.path(), garbage);
        clock.set(Instant.parse("2026-12-01T10:01:00.005Z"));
        e.tick(); // the known schedule still fires; its result cannot be saved over the broken file
        drain();
        assertThat(ran).containsExactly("a");
        assertThat(Files.readString(f.path())).isEqualTo(garbage);
    }
}
