package konomi.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import konomi.api.KonomiException;
import konomi.imaging.PerceptualHash;

class SettingsTest {
    static final String CFG = "/home/u/.konomi/etc/konomi.catalog.cfg";

    @Test
    void defaultsToAnH2FileInTheHome() {
        Settings s = Settings.from(Map.of(), CFG, Path.of("/home/u/.konomi"));
        assertThat(s.url()).isEqualTo("jdbc:h2:file:/home/u/.konomi/data/catalog;AUTO_SERVER=TRUE");
        assertThat(s.h2()).isTrue();
        assertThat(s.distance()).isEqualTo(PerceptualHash.DEFAULT_DISTANCE).isEqualTo(10);
        assertThat(s.user()).isEmpty();
    }

    @Test
    void aBadUrlIsOneClearLineNamingTheFile() {
        assertThatThrownBy(() -> Settings.from(Map.of("url", "jdbc:mysql://db/konomi?password=hunter2"), CFG, null))
                .isInstanceOf(KonomiException.class)
                .hasMessage(CFG + ": url must be jdbc:h2:... or jdbc:postgresql://host[:port]/database, not 'jdbc:mysql://db/konomi?password=***'");
        assertThatThrownBy(() -> Settings.from(Map.of("url", "postgres://db"), CFG, null)).hasMessageStartingWith(CFG + ": url must be");
        assertThatThrownBy(() -> Settings.from(Map.of(), CFG, null)).hasMessageContaining("konomi.home");
    }

    @Test
    void duplicateDistanceIsChecked() {
        assertThat(Settings.from(Map.of("duplicateDistance", "4"), CFG, Path.of("/h")).distance()).isEqualTo(4);
        assertThat(Settings.from(Map.of("duplicateDistance", 0), CFG, Path.of("/h")).distance()).isZero();
        assertThatThrownBy(() -> Settings.from(Map.of("duplicateDistance", "ten"), CFG, Path.of("/h")))
                .hasMessage(CFG + ": duplicateDistance must be a whole number of bits (0-64), not 'ten'");
        assertThatThrownBy(() -> Settings.from(Map.of("duplicateDistance", "65"), CFG, Path.of("/h")))
                .hasMessage(CFG + ": duplicateDistance must be 0 to 64 bits, not 65");
    }

    @Test
    void aPasswordInTheUrlBecomesAPropertyAndIsNeverShown() {
        Settings pg = Settings.from(Map.of("url", "jdbc:postgresql://db:5432/konomi?password=hunter2&ssl=true", "user", "k"), CFG, null);
        assertThat(pg.url()).isEqualTo("jdbc:postgresql://db:5432/konomi?ssl=true");
        assertThat(pg.password()).isEqualTo("hunter2");
        assertThat(pg.connectionProperties()).containsEntry("user", "k").containsEntry("password", "hunter2");
        Settings last = Settings.from(Map.of("url", "jdbc:postgresql://db/konomi?ssl=true&password=hunter2"), CFG, null);
        assertThat(last.url()).isEqualTo("jdbc:postgresql://db/konomi?ssl=true");
        Settings both = Settings.from(Map.of("url", "jdbc:postgresql://db/konomi", "password", "pw"), CFG, null);
        assertThat(both.toString()).doesNotContain("pw");
        assertThat(both.scrub("FATAL: password authentication failed for pw")).doesNotContain(" pw").contains("***");
    }

    @Test
    void thePrivatePasswordKeyWins() {
        assertThat(Settings.from(Map.of("url", "jdbc:postgresql://db/k", ".password", "a", "password", "b"), CFG, null).password()).isEqualTo("a");
        assertThat(Settings.from(Map.of("url", "jdbc:postgresql://db/k", "password", "b"), CFG, null).password()).isEqualTo("b");
    }
}
