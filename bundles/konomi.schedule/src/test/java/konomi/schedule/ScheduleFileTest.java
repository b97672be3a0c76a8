package konomi.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.KonomiException;

class ScheduleFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryField(@TempDir Path d) {
        ScheduleFile f = new ScheduleFile(d.resolve("data/schedules.csv"));
        assertThat(f.read()).isEmpty();
        List<Schedule> want = List.of(
                new Schedule("0a1f", "0 7 * * *", "score:run --sink \"json,csv\" --out 'a b' pics/", Instant.parse("2026-12-01T06:00:00.123Z"),
                        Instant.parse("2026-12-01T07:00:00Z"), "failed: pics/x.jpg: cannot read, \"broken\""),
                new Schedule("beef", "*/5 * * * MON-FRI", "/tmp/daily.gosh", Instant.parse("2026-12-01T06:00:00Z"), null, null));
        f.update(list -> new ArrayList<>(want));
        assertThat(new ScheduleFile(d.resolve("data/schedules.csv")).read()).isEqualTo(want);
        f.update(list -> {
            list.removeIf(s -> s.id().equals("0a1f"));
            return list;
        });
        assertThat(f.read()).containsExactly(want.get(1));
        assertThat(d.resolve("data")).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void corruptFileIsRefusedInOneLineAndNeverOverwritten() throws Exception {
        Path p = Files.createDirectories(dir.resolve("data")).resolve("schedules.csv");
        for (String bad : new String[] {
                "not,a,schedules,file\n1,2,3,4\n",
                "id,cron,command,created,lastRun,lastResult\nab,0 7 * * *,detect:list,yesterday,,\n",
                "id,cron,command,created,lastRun,lastResult\nab,99 7 * * *,detect:list,2026-12-01T06:00:00Z,,\n",
                "id,cron,command,created,lastRun,lastResult\nab,0 7 * * *,\"detect:list,2026-12-01T06:00:00Z,,\n",
                "id,cron,command,created,lastRun,lastResult\nab,0 7 * * *,a,2026-12-01T06:00:00Z,,\nab,0 7 * * *,b,2026-12-01T06:00:00Z,,\n"}) {
            Files.writeString(p, bad, StandardCharsets.UTF_8);
            ScheduleFile f = new ScheduleFile(p);
            assertThatThrownBy(f::read).as(bad).isInstanceOf(KonomiException.class)
                    .satisfies(e -> assertThat(e.getMessage()).startsWith(p + ": not a schedules file").doesNotContain("\n"));
            assertThatThrownBy(() -> f.update(list -> {
                list.add(new Schedule("new1", "* * * * *", "detect:list", Instant.now(), null, null));
                return list;
            })).isInstanceOf(KonomiException.class);
            assertThat(Files.readString(p)).as("left as it was").isEqualTo(bad);
        }
    }

    @Test
    void versionChangesWhenTheFileIsRewritten() throws Exception {
        ScheduleFile f = new ScheduleFile(dir.resolve("s.csv"));
        assertThat(f.version()).isNull();
        f.update(list -> {
            list.add(new Schedule("a", "* * * * *", "detect:list", Instant.parse("2026-12-01T06:00:00Z"), null, null));
            return list;
        });
        Object v1 = f.version();
        assertThat(v1).isNotNull();
        f.update(list -> {
            list.add(new Schedule("b", "* * * * *", "detect:list", Instant.parse("2026-12-01T06:00:00Z"), null, null));
            return list;
        });
        assertThat(f.version()).isNotEqualTo(v1);
    }
}
