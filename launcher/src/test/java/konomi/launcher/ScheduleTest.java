package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules as a user works with them: {@code schedule:add/list/rm} in separate {@code konomi} invocations sharing
 * one home, and {@code konomi serve} running a missed schedule once at start (catch-up) with a real command.
 */
class ScheduleTest {
    record Run(int status, String out, String err) {
    }

    static Run konomi(Path home, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of("konomi").toAbsolutePath().toString(), "--home", home.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("konomi-out", ".txt"), err = Files.createTempFile("konomi-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("konomi " + String.join(" ", args) + " finished").isTrue();
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void addListAndRemoveInSeparateInvocations(@TempDir Path home) throws Exception {
        Run add = konomi(home, "schedule:add", "* * * * *", "detect:run --out /tmp/never.csv pics/");
        assertThat(add.status()).as(add.err()).isZero();
        Matcher m = Pattern.compile("added schedule (\\w+): next run \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d").matcher(add.out());
        assertThat(m.find()).as(add.out()).isTrue();
        String id = m.group(1);

        Run list = konomi(home, "schedule:list");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains("id", "cron", "next", "last run", "last result", "command")
                .containsPattern(id + "\\s+\\* \\* \\* \\* \\*\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+-\\s+-\\s+detect:run --out /tmp/never.csv pics/");
        Run script = konomi(home, "schedule:list", "--no-format");
        assertThat(script.out().strip()).startsWith(id + "\t* * * * *\t").endsWith("\tdetect:run --out /tmp/never.csv pics/");

        Run bad = konomi(home, "schedule:add", "61 * * * *", "detect:list");
        assertThat(bad.status()).isNotZero();
        assertThat(bad.err().strip()).doesNotContain("\n").startsWith("konomi: bad cron expression '61 * * * *'");
        Run missing = konomi(home, "schedule:add", "0 7 * * *", home.resolve("nope.gosh").toString());
        assertThat(missing.status()).isNotZero();
        assertThat(missing.err().strip()).isEqualTo("konomi: " + home.resolve("nope.gosh") + ": script not found");

        Run rm = konomi(home, "schedule:rm", id);
        assertThat(rm.status()).as(rm.err()).isZero();
        assertThat(rm.out()).contains("removed schedule " + id);
        assertThat(konomi(home, "schedule:list", "--no-format").out()).isBlank();
        Run again = konomi(home, "schedule:rm", id);
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err().strip()).isEqualTo("konomi: no schedule " + id + " (schedule:list shows the ids)");

        Run help = konomi(home, "help");
        assertThat(help.out()).contains("schedule:add", "schedule:list", "schedule:rm");
    }

    @Test
    void aCorruptFileIsNamedAndKept(@TempDir Path home) throws Exception {
        Path file = Files.createDirectories(home.resolve("data")).resolve("schedules.csv");
        Files.writeString(file, "id,cron,command\n\"broken\n");
        Run add = konomi(home, "schedule:add", "0 7 * * *", "detect:list");
        assertThat(add.status()).isEqualTo(1);
        assertThat(add.err().strip()).doesNotContain("\n").startsWith("konomi: " + file.toRealPath() + ": not a schedules file");
        assertThat(file).hasContent("id,cron,command\n\"broken\n");
    }

    @Test
    void serveRunsAMissedScheduleOnceAtStart(@TempDir Path home, @TempDir Path work) throws Exception {
        Path picture = DetectionTest.PLAIN.resolve("jonathonyan_detect_03.jpg");
        Path faces = home.resolve("faces.csv");
        Path file = Files.createDirectories(home.resolve("data")).resolve("schedules.csv");
        // hourly, added a month ago, never ran: it missed runs while Konomi was stopped
        Files.writeString(file, "id,cron,command,created,lastRun,lastResult\n"
                + "c1,0 * * * *,detect:run --out " + faces + " " + picture + ",2026-01-01T00:00:00Z,,\n");
        Path errFile = work.resolve("serve.err");
        Process p = new ProcessBuilder(Path.of("konomi").toAbsolutePath().toString(), "--home", home.toString(), "serve")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errFile.toFile()).start();
        try {
            ServeTest.await(home, () -> Files.exists(faces), "the catch-up run writes " + faces);
            assertThat(Files.readString(faces)).startsWith("file,x1,y1,x2,y2,confidence\njonathonyan_detect_03.jpg,");
            ServeTest.await(home.resolve("data"), () -> Files.readString(file).contains(",ok\n"), "the run's result is saved");
            assertThat(Files.readString(home.resolve("log/schedule-c1.log"))).contains("schedule c1", "wrote " + faces, "=== ok");
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(errFile)).isZero();
        } finally {
            p.destroyForcibly();
        }
        Run list = konomi(home, "schedule:list", "--no-format");
        assertThat(list.out()).startsWith("c1\t0 * * * *\t").contains("\tok\t");
    }
}
