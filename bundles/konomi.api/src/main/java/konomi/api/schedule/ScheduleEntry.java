package konomi.api.schedule;

import java.time.Instant;

/**
 * A schedule and how it last went.
 *
 * @param id         short id for {@code schedule:rm}
 * @param cron       the cron expression
 * @param command    the command line or script
 * @param next       when it runs next, or null when the expression never fires again
 * @param lastRun    when it last started, or null
 * @param lastResult {@code ok}, {@code failed: <one line>}, {@code skipped: still running}, or null
 */
public record ScheduleEntry(String id, String cron, String command, Instant next, Instant lastRun, String lastResult) {
}
