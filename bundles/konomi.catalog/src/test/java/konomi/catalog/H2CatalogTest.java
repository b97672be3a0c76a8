package konomi.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.KonomiException;

/** The catalog on an embedded H2 file database in a temporary folder (the default database). */
class H2CatalogTest extends CatalogContract {
    @TempDir
    Path home;

    @Override
    Settings freshDatabase() {
        return Settings.from(Map.of(), "konomi.catalog.cfg", home);
    }

    @Test
    void theDefaultDatabaseIsAnH2FileInTheHome() {
        assertThat(settings.url()).isEqualTo("jdbc:h2:file:" + home.resolve("data/catalog") + ";AUTO_SERVER=TRUE");
        catalog.stats();
        assertThat(home.resolve("data/catalog.mv.db")).exists();
    }

    @Test
    void h2sDatabaseInUseErrorIsExplainedInOneLine() {
        // H2 refuses a second JVM on the same file (one JVM shares the open database): the wording H2 uses then
        KonomiException e = new KonomiException("catalog " + settings.url() + ": "
                + catalog.explain(new java.sql.SQLException("Database may be already in use: \"/x/catalog.mv.db\". Possible solutions: close all other connection(s); use the server mode [90020-232]", "90020"), "cannot look up x"));
        assertThat(e.getMessage()).doesNotContain("\n").contains("in use by another process").contains(settings.url());
    }

    @Test
    void aPoolTimeOutIsExplainedByTheFailureItCarries() {
        // what HikariCP throws when no connection could be had in time: the last failure to connect is its cause
        java.sql.SQLException refused = new java.sql.SQLException("Connection to db:5432 refused.", "08001");
        String why = catalog.explain(new java.sql.SQLTransientConnectionException(
                "konomi-catalog - Connection is not available, request timed out after 10001ms (total=0, active=0, idle=0, waiting=0)", "08001", refused), "cannot count");
        assertThat(why).isEqualTo("cannot count: cannot connect: Connection to db:5432 refused.");
        String busy = catalog.explain(new java.sql.SQLTransientConnectionException(
                "konomi-catalog - Connection is not available, request timed out after 10001ms (total=4, active=4, idle=0, waiting=1)"), "cannot count");
        assertThat(busy).startsWith("cannot count: konomi-catalog - Connection is not available");
    }

    @Test
    void aPasswordIsNeverShown() {
        Settings s = Settings.from(Map.of("url", "jdbc:h2:file:" + home.resolve("pw") + ";PASSWORD=s3cret", "user", "sa"), "etc/konomi.catalog.cfg", home);
        assertThat(s.url()).doesNotContain("s3cret");
        assertThat(s.password()).isEqualTo("s3cret");
        assertThat(s.toString()).doesNotContain("s3cret");
        try (JdbcCatalog c = JdbcCatalog.open(s, getClass().getClassLoader())) {
            assertThat(c.stats().images()).isZero();
        }
        Settings wrong = new Settings(s.url(), "sa", "wrong-s3cret", 10);
        assertThatThrownBy(() -> JdbcCatalog.open(wrong, getClass().getClassLoader())).isInstanceOf(KonomiException.class)
                .hasMessageStartingWith("catalog " + s.url() + ": ").hasMessageNotContaining("wrong-s3cret").hasMessageNotContaining("\n");
    }
}
