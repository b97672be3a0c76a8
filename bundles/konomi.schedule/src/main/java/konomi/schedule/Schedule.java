package konomi.schedule;

import java.time.Instant;

/**
 * One line of {@code data/schedules.csv}.
 *
 * @param created    when it was added: the start of catch-up for a schedule that never ran
 * @param lastRun    when its last run started, or null
 * @param lastResult ok, failed: ..., skipped: still running, or null
 */
record Schedule(String id, String cron, String command, Instant created, Instant lastRun, String lastResult) {
    Schedule withRun(Instant started, String result) {
        return new Schedule(id, cron, command, created, started, result);
    }

    Schedule withResult(String result) {
        return new Schedule(id, cron, command, created, lastRun, result);
    }
}
