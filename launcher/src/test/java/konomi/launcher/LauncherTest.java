package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code launcher/konomi} script as a user runs it: output, one-line errors and exit codes. */
class LauncherTest {
    @TempDir
    static Path home;

    record Run(int status, String out, String err) {
    }

    static Run konomi(String... args) throws IOException, InterruptedException {
        return konomiWithStdin(ProcessBuilder.Redirect.PIPE, "", args);
    }

    /** Runs the script with stdin from {@code in}; a pipe gets {@code text} and is closed. */
    static Run konomiWithStdin(ProcessBuilder.Redirect in, String text, String... args) throws IOException, InterruptedException {
        return konomiAt(home, in, text, args);
    }

    /** Runs the script with the given Konomi home and stdin. */
    static Run konomiAt(Path home, ProcessBuilder.Redirect in, String text, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of("konomi").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("KONOMI_HOME", home.toString());
        Path out = Files.createTempFile(home, "out", ".txt"), err = Files.createTempFile(home, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(in);
        Process p = pb.start();
        if (in == ProcessBuilder.Redirect.PIPE) {
            try (var w = p.getOutputStream()) {
                w.write(text.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("konomi " + String.join(" ", args) + " finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void aCommandPrintsItsResultAndExitsZero() throws Exception {
        Run r = konomi("detect:run", DetectionTest.PLAIN.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("xavierjiezou_1.jpg", "12 images");
        assertThat(home.resolve("deploy")).isDirectory();
        assertThat(home.resolve("etc")).isDirectory();
    }

    @Test
    void aFailingCommandExitsOneWithOneLineAndNoStackTrace() throws Exception {
        Run r = konomi("detect:run", "/no/such/folder");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("konomi: /no/such/folder: folder not found");
    }

    @Test
    void configurationFilesAreAppliedAndNeverRewritten() throws Exception {
        Path cfg = Files.createDirectories(home.resolve("etc")).resolve("konomi.detect.cascade.cfg");
        String mine = "# my settings\nminNeighbors = 1\n";
        Files.writeString(cfg, mine);
        // these figures are the cascade's (whatever the default detector is)
        Path choice = Files.writeString(home.resolve("etc/konomi.detect.cfg"), "detector.target=(konomi.name\\=animeface)\n");
        try {
            for (int i = 0; i < 3; i++) {
                Run r = konomi("detect:eval", DetectionTest.PLAIN.toString());
                assertThat(r.status()).as(r.err()).isZero();
                assertThat(r.out()).containsPattern("detections\\s+33");
                assertThat(cfg).hasContent(mine);
            }
        } finally {
            Files.delete(cfg);
            Files.delete(choice);
        }
    }

    @Test
    void unknownCommandsAndWrongArgumentsExitTwo() throws Exception {
        Run unknown = konomi("detect:nope");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command: detect:nope");
        Run missingArg = konomi("detect:run");
        assertThat(missingArg.status()).isEqualTo(2);
        assertThat(missingArg.err()).contains("wrong arguments for detect:run");
        assertThat(konomi("--bogus").status()).isEqualTo(2);
    }

    @Test
    void scriptsRunToTheEndOrStopAtTheFirstFailingLine(@TempDir Path dir) throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.gosh"), """
                # list, then detect on one picture
                detect:list
                detect:run %s
                echo all done
                """.formatted(DetectionTest.PLAIN.resolve("jonathonyan_detect_03.jpg")));
        Run good = konomi("run", ok.toString());
        assertThat(good.status()).as(good.err()).isZero();
        assertThat(good.out()).contains("animeface", "jonathonyan_detect_03.jpg", "all done");

        Path bad = Files.writeString(dir.resolve("bad.gosh"), """
                # line 1 is a comment
                detect:list
                detect:run /no/such/folder
                echo never printed
                """);
        Run failed = konomi("run", bad.toString());
        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.err().strip()).isEqualTo("konomi: " + bad + ":3: /no/such/folder: folder not found");
        assertThat(failed.out()).doesNotContain("never printed");

        Path typo = Files.writeString(dir.resolve("typo.gosh"), "detect:list\ndetect:rnu x\n");
        Run typoRun = konomi("run", typo.toString());
        assertThat(typoRun.status()).isEqualTo(2);
        assertThat(typoRun.err()).contains("typo.gosh:2: unknown command: detect:rnu");
    }

    @Test
    void pipedStdinRunsItsLinesLikeAScript() throws Exception {
        Run good = konomiWithStdin(ProcessBuilder.Redirect.PIPE, "detect:list\n# a comment\necho piped done\n");
        assertThat(good.status()).as(good.err()).isZero();
        assertThat(good.out()).contains("animeface", "piped done");

        Run failed = konomiWithStdin(ProcessBuilder.Redirect.PIPE, "echo first\ndetect:run /no/such/folder\necho never printed\n");
        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.err().strip()).isEqualTo("konomi: <stdin>:2: /no/such/folder: folder not found");
        assertThat(failed.out()).contains("first").doesNotContain("never printed");

        Run unknown = konomiWithStdin(ProcessBuilder.Redirect.PIPE, "detect:list\ndetect:nope\n");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("<stdin>:2: unknown command: detect:nope");
    }

    @Test
    void emptyStdinExitsZeroAtOnce() throws Exception {
        // JLine would spin on this forever; the launcher reads stdin itself and stops at EOF
        Run r = konomiWithStdin(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")), "");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
    }
}
