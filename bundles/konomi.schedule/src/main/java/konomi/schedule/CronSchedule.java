package konomi.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import konomi.api.KonomiException;

/** A five-field Unix cron expression (minute hour day-of-month month day-of-week), parsed by cron-utils. */
final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ExecutionTime times;

    private CronSchedule(String expression, ExecutionTime times) {
        this.expression = expression;
        this.times = times;
    }

    /** @throws KonomiException one line naming the expression and what is wrong with it */
    static CronSchedule parse(String expression) {
        String e = expression == null ? "" : expression.strip().replaceAll("\\s+", " ");
        if (e.isEmpty()) {
            throw new KonomiException("empty cron expression (five fields: minute hour day-of-month month day-of-week, e.g. '0 7 * * *')");
        }
        int fields = e.split(" ").length;
        if (fields != 5) {
            throw new KonomiException("bad cron expression '" + e + "': " + fields + " fields, Unix cron has five (minute hour day-of-month month day-of-week)");
        }
        try {
            Cron cron = PARSER.parse(e);
            cron.validate();
            return new CronSchedule(e, ExecutionTime.forCron(cron));
        } catch (IllegalArgumentException | IllegalStateException x) {
            String why = x.getMessage() == null ? x.toString() : x.getMessage().strip().replaceAll("\\s+", " ");
            throw new KonomiException("bad cron expression '" + e + "': " + why);
        }
    }

    String expression() {
        return expression;
    }

    /** The first firing strictly after {@code after}, in {@code zone}'s wall-clock time; empty if it never fires again. */
    Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        Optional<Instant> next = times.nextExecution(after.atZone(zone)).map(z -> z.toInstant());
        if (next.isPresent() && !next.get().isAfter(after)) {
            // exactly on a firing: the one after it
            next = times.nextExecution(after.plusSeconds(1).atZone(zone)).map(z -> z.toInstant());
        }
        return next;
    }

    /** Whether it fired at least once in (from, to]. */
    boolean firedBetween(Instant from, Instant to, ZoneId zone) {
        return nextAfter(from, zone).map(t -> !t.isAfter(to)).orElse(false);
    }
}
