package konomi.api.schedule;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps cron schedules and runs their commands inside a long-running Konomi ({@code konomi serve}). Runs of one
 * schedule never overlap; a run missed while Konomi was stopped runs once at start when catch-up is on.
 */
@ProviderType
public interface Scheduler {
    /**
     * Adds and saves a schedule.
     *
     * @param cron    a five-field Unix cron expression ({@code 0 7 * * *})
     * @param command a Gogo command line, or the path of a {@code .gosh} script
     * @throws konomi.api.KonomiException one line for a bad cron expression or an empty command
     */
    ScheduleEntry add(String cron, String command);

    List<ScheduleEntry> list();

    /**
     * Removes and saves.
     *
     * @throws konomi.api.KonomiException when no schedule has this id
     */
    void remove(String id);
}
