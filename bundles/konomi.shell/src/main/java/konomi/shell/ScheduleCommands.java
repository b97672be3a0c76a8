package konomi.shell;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.api.schedule.ScheduleEntry;
import konomi.api.schedule.Scheduler;

/** {@code schedule:add}, {@code schedule:list}, {@code schedule:rm}: parse, call the scheduler, print. */
@Component(service = ScheduleCommands.class, property = {"osgi.command.scope=schedule", "osgi.command.function=add",
        "osgi.command.function=list", "osgi.command.function=rm"})
public class ScheduleCommands {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @Reference
    private Scheduler scheduler;

    @Descriptor("add a schedule that runs a command line or .gosh script inside konomi serve at the times of a five-field "
            + "Unix cron expression (minute hour day-of-month month day-of-week); give both in quotes. Prints its id and next run")
    public void add(
            @Descriptor("cron expression, e.g. '0 7 * * *' (every day at 07:00) or '*/30 * * * *'") String cron,
            @Descriptor("command line, e.g. 'score:run --out /data/today pics/', or the path of a .gosh script") String command) {
        ScheduleEntry e = scheduler.add(cron, command);
        System.out.println("added schedule " + e.id() + ": next run " + time(e.next()));
    }

    @Descriptor("list the schedules (id, cron expression, next run, last run and its result, command)")
    public void list(
            @Descriptor("table as tab-separated rows without header, for scripts") @Parameter(names = {"--no-format"}, absentValue = "false", presentValue = "true") boolean noFormat) {
        Table t = new Table("id", "cron", "next", "last run", "last result", "command");
        for (ScheduleEntry e : scheduler.list()) {
            t.row(e.id(), e.cron(), time(e.next()), time(e.lastRun()), e.lastResult() == null ? "-" : e.lastResult(), e.command());
        }
        t.print(System.out, !noFormat);
    }

    @Descriptor("remove a schedule by its id (schedule:list shows the ids)")
    public void rm(@Descriptor("schedule id") String id) {
        scheduler.remove(id);
        System.out.println("removed schedule " + id);
    }

    /** Local wall-clock time to the minute (cron's resolution), or - for none. */
    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t.atZone(ZoneId.systemDefault()));
    }
}
