package konomi.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import konomi.api.KonomiException;

class CronScheduleTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    @Test
    void nextTimeIsTheFirstFiringStrictlyAfter() {
        CronSchedule daily = CronSchedule.parse("0 7 * * *");
        assertThat(daily.nextAfter(Instant.parse("2026-12-01T06:59:30Z"), UTC)).contains(Instant.parse("2026-12-01T07:00:00Z"));
        assertThat(daily.nextAfter(Instant.parse("2026-12-01T07:00:00Z"), UTC)).contains(Instant.parse("2026-12-02T07:00:00Z"));
        assertThat(daily.nextAfter(Instant.parse("2026-12-01T07:00:00.001Z"), UTC)).contains(Instant.parse("2026-12-02T07:00:00Z"));
        assertThat(CronSchedule.parse("*/15 * * * *").nextAfter(Instant.parse("2026-12-01T10:15:00Z"), UTC))
                .contains(Instant.parse("2026-12-01T10:30:00Z"));
        assertThat(CronSchedule.parse("* * * * *").nextAfter(Instant.parse("2026-12-01T10:15:59.999Z"), UTC))
                .contains(Instant.parse("2026-12-01T10:16:00Z"));
        // 2026-12-05 is a Saturday: weekdays only skips to Monday the 7th
        assertThat(CronSchedule.parse("30 8 * * MON-FRI").nextAfter(Instant.parse("2026-12-04T09:00:00Z"), UTC))
                .contains(Instant.parse("2026-12-07T08:30:00Z"));
    }

    @Test
    void wallClockTimeOfTheZone() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        assertThat(CronSchedule.parse("0 7 * * *").nextAfter(Instant.parse("2026-12-01T00:00:00Z"), tokyo))
                .contains(Instant.parse("2026-12-01T22:00:00Z"));
    }

    @Test
    void firedBetweenCountsTheUpperBound() {
        CronSchedule hourly = CronSchedule.parse("0 * * * *");
        assertThat(hourly.firedBetween(Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T10:59:59Z"), UTC)).isFalse();
        assertThat(hourly.firedBetween(Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T11:00:00Z"), UTC)).isTrue();
    }

    @Test
    void badExpressionsAreOneLineErrorsNamingThem() {
        for (String bad : new String[] {"61 * * * *", "* * * *", "0 0 0 * * *", "a b c d e", "", "0 25 * * *"}) {
            assertThatThrownBy(() -> CronSchedule.parse(bad)).as(bad).isInstanceOf(KonomiException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("cron expression"));
        }
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *")).hasMessageContaining("'61 * * * *'");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 * * *")).hasMessageContaining("6 fields");
    }
}
