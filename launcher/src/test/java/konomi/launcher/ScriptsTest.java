package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ScriptsTest {
    @Test
    void statementsKeepTheLineTheyStartOn() {
        List<Scripts.Statement> s = Scripts.split("""
                # comment

                detect:list
                each [1 2] {
                  echo $it
                }
                echo "a { in quotes"
                detect:run \\
                  pics/
                """);
        assertThat(s).extracting(Scripts.Statement::line).containsExactly(3, 4, 7, 8);
        assertThat(s.get(1).text()).startsWith("each [1 2] {").endsWith("}");
        assertThat(s.get(3).text()).isEqualTo("detect:run \n  pics/");
    }

    @Test
    void linesFedOneByOneGiveTheSameStatementsAsTheWholeText() {
        Scripts.Splitter s = new Scripts.Splitter();
        assertThat(s.feed("# comment")).isNull();
        assertThat(s.feed("each [1 2] {")).isNull();
        assertThat(s.feed("  echo $it")).isNull();
        assertThat(s.feed("}")).isEqualTo(new Scripts.Statement(2, "each [1 2] {\n  echo $it\n}"));
        assertThat(s.feed("detect:list\r")).isEqualTo(new Scripts.Statement(5, "detect:list"));
        assertThat(s.feed("echo 'open")).isNull();
        assertThat(s.finish()).isEqualTo(new Scripts.Statement(6, "echo 'open"));
        assertThat(s.finish()).isNull();
    }

    @Test
    void shellWordsAreQuotedForGogo() {
        assertThat(Main.commandLine(List.of("detect:run", "--out", "a b.csv", "it's", "pics/"))).isEqualTo(
                "detect:run --out 'a b.csv' \"it's\" pics/");
        assertThat(Main.commandLine(List.of("echo", "$HOME"))).isEqualTo("echo '$HOME'");
    }

    @Test
    void exportClausesSplitOutsideQuotes() {
        assertThat(SystemPackages.splitClauses("a;version=\"1.0\",b;uses:=\"x,y\";version=2,c"))
                .containsExactly("a;version=\"1.0\"", "b;uses:=\"x,y\";version=2", "c");
    }
}
