package konomi.model.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import konomi.api.KonomiException;
import konomi.api.model.ModelDescriptor;

class ModelHeaderTest {

    @Test
    void formatThenParseKeepsEverything() {
        String h = ModelHeader.format("detector", "cascade", "anime-face", "model/a b.xml",
                Map.of("minNeighbors", "8", "note", "has;semi\"colon"));
        ModelDescriptor d = ModelHeader.parse(h, "konomi.model.x", "1.2.0", "file:/x.jar");
        assertThat(d.kind()).isEqualTo("detector");
        assertThat(d.type()).isEqualTo("cascade");
        assertThat(d.name()).isEqualTo("anime-face");
        assertThat(d.file()).isEqualTo("model/a b.xml");
        assertThat(d.attributes()).containsEntry("minNeighbors", "8").containsEntry("note", "has;semi\"colon");
    }

    @Test
    void brokenHeadersGiveOneLineReasons() {
        assertThatThrownBy(() -> ModelHeader.parse("detector;type=cascade;file=x", "b", "1", "l"))
                .isInstanceOf(KonomiException.class).hasMessage("Konomi-Model header has no name=");
        assertThatThrownBy(() -> ModelHeader.parse("toaster;type=a;name=b;file=c", "b", "1", "l"))
                .hasMessageContaining("kind 'toaster'");
        assertThatThrownBy(() -> ModelHeader.parse("detector;type=a;name=../x;file=c", "b", "1", "l"))
                .hasMessageContaining("name '../x'");
    }

    @Test
    void newerVersionsRankHigher() {
        assertThat(ModelExtender.rank(org.osgi.framework.Version.parseVersion("1.10.0")))
                .isGreaterThan(ModelExtender.rank(org.osgi.framework.Version.parseVersion("1.9.9")));
    }
}
