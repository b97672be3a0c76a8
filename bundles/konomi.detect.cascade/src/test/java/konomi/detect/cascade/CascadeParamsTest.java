package konomi.detect.cascade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import konomi.api.KonomiException;

class CascadeParamsTest {

    @Test
    void configurationWinsOverTheModelHeaderWhichWinsOverDefaults() {
        Map<String, Object> config = Map.of("minNeighbors", "3");
        Map<String, String> header = Map.of("minNeighbors", "8", "scaleFactor", "1.05");
        CascadeParams p = CascadeParams.resolve("test", config::get, header::get);
        assertThat(p.minNeighbors()).isEqualTo(3);
        assertThat(p.scaleFactor()).isEqualTo(1.05);
        assertThat(p.minSize()).isEqualTo(CascadeParams.DEFAULTS.minSize());
        assertThat(p.equalizeHist()).isTrue();
    }

    @Test
    void badValuesNameWhereTheyCameFromAndTheKey() {
        Map<String, Object> config = Map.of("scaleFactor", "0.9");
        assertThatThrownBy(() -> CascadeParams.resolve("/home/u/.konomi/etc/konomi.detect.cascade.cfg", config::get))
                .isInstanceOf(KonomiException.class)
                .hasMessage("/home/u/.konomi/etc/konomi.detect.cascade.cfg: scaleFactor must be in (1, 4], not 0.9");
        Map<String, Object> words = Map.of("minSize", "big");
        assertThatThrownBy(() -> CascadeParams.resolve("x.cfg", words::get)).hasMessage("x.cfg: minSize is not a number: 'big'");
        Map<String, Object> frac = Map.of("minNeighbors", 2.5);
        assertThatThrownBy(() -> CascadeParams.resolve("x.cfg", frac::get)).hasMessage("x.cfg: minNeighbors must be a whole number, not 2.5");
    }
}
