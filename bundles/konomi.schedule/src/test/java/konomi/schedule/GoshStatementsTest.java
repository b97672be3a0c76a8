package konomi.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The same cases as the launcher's ScriptsTest: scripts split the same way in both. */
class GoshStatementsTest {
    @Test
    void statementsKeepTheLineTheyStartOn() {
        List<GoshStatements.Statement> s = GoshStatements.split("""
                # comment

                detect:list
                each [1 2] {
                  echo $it
                }
                echo "a { in quotes"
                detect:run \\
                  pics/
                """);
        assertThat(s).extracting(GoshStatements.Statement::line).containsExactly(3, 4, 7, 8);
        assertThat(s.get(1).text()).startsWith("each [1 2] {").endsWith("}");
        assertThat(s.get(3).text()).isEqualTo("detect:run \n  pics/");
        assertThat(GoshStatements.split("ok\r\necho 'open")).containsExactly(new GoshStatements.Statement(1, "ok"),
                new GoshStatements.Statement(2, "echo 'open"));
    }
}
