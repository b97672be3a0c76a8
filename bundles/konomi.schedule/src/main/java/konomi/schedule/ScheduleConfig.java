package konomi.schedule;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the scheduler (ConfigAdmin PID {@code konomi.schedule}, e.g. a file {@code etc/konomi.schedule.cfg}). */
@ObjectClassDefinition(id = ScheduleConfig.PID, name = "Konomi schedules", description = "How konomi serve runs schedules")
public @interface ScheduleConfig {
    String PID = "konomi.schedule";

    @AttributeDefinition(description = "At start, run once each schedule that should have run while Konomi was stopped")
    boolean catchUp() default true;
}
