package konomi.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class ArgsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneId.of("Europe/Paris"));

    @Test
    void sinceTakesAnAge() {
        assertThat(Args.since("--since", "7d", CLOCK)).isEqualTo(Instant.parse("2026-11-24T12:00:00Z"));
        assertThat(Args.since("--since", "12h", CLOCK)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(Args.since("--since", "30m", CLOCK)).isEqualTo(Instant.parse("2026-12-01T11:30:00Z"));
        assertThat(Args.since("--since", "2w", CLOCK)).isEqualTo(Instant.parse("2026-11-17T12:00:00Z"));
        assertThat(Args.since("--since", 7.0, CLOCK)).as("Gogo's reading of 7d").isEqualTo(Instant.parse("2026-11-24T12:00:00Z"));
        assertThat(Args.since("--since", "1.5", CLOCK)).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
    }

    @Test
    void sinceTakesADateInLocalTimeOrAnInstant() {
        assertThat(Args.since("--since", "2026-11-30", CLOCK)).isEqualTo(Instant.parse("2026-11-29T23:00:00Z"));
        assertThat(Args.since("--since", "2026-11-30T18:00", CLOCK)).isEqualTo(Instant.parse("2026-11-30T17:00:00Z"));
        assertThat(Args.since("--since", "2026-11-30T18:00:00Z", CLOCK)).isEqualTo(Instant.parse("2026-11-30T18:00:00Z"));
        assertThat(Args.since("--since", "2026-11-30T18:00:00+02:00", CLOCK)).isEqualTo(Instant.parse("2026-11-30T16:00:00Z"));
    }

    @Test
    void anythingElseIsOneLineNamingTheOption() {
        assertThatThrownBy(() -> Args.since("--since", "last week", CLOCK)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--since wants an age (30m, 12h, 7d, 2w) or a date (2026-11-30, 2026-11-30T18:00), not 'last week'");
        assertThatThrownBy(() -> Args.since("--since", "2026-13-45", CLOCK)).hasMessageStartingWith("--since wants");
    }

    @Test
    void aTeacherTakesAShareAndATemperatureAndNeitherGoesAlone() {
        konomi.api.train.Recipe r = TrainArgs.teacher(konomi.api.train.Recipe.DEFAULT, "character", "0.7", "2");
        assertThat(r.teacher()).isEqualTo("character");
        assertThat(r.distill()).isEqualTo(0.7);
        assertThat(r.temperature()).isEqualTo(2.0);
        assertThat(TrainArgs.teacher(konomi.api.train.Recipe.DEFAULT, "character", "", "").distill()).as("default share").isEqualTo(0.5);
        assertThat(TrainArgs.teacher(konomi.api.train.Recipe.DEFAULT, "", "", "").teacher()).isNull();
        assertThatThrownBy(() -> TrainArgs.teacher(konomi.api.train.Recipe.DEFAULT, "", "0.7", "")).hasMessage("--distill and --temperature need --teacher <classifier>");
        assertThatThrownBy(() -> TrainArgs.teacher(konomi.api.train.Recipe.DEFAULT, "character", "1.5", "")).hasMessage("--distill (the teacher's share) must be between 0.0 and 1.0, not 1.5");
    }
}
