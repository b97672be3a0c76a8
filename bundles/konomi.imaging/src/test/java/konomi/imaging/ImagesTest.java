package konomi.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import konomi.api.Image;
import konomi.api.KonomiException;

class ImagesTest {

    /** A 40x30 BGR gradient, so lossless formats must come back exactly. */
    static Image gradient() {
        byte[] px = new byte[40 * 30 * 3];
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                int i = (y * 40 + x) * 3;
                px[i] = (byte) (x * 6);
                px[i + 1] = (byte) (y * 8);
                px[i + 2] = (byte) 128;
            }
        }
        return new Image("g", 40, 30, 3, px);
    }

    static byte[] encode(Image img, String ext) {
        try (Mat m = Images.toMat(img); BytePointer buf = new BytePointer()) {
            assertThat(imencode(ext, m, buf)).as("OpenCV encodes " + ext).isTrue();
            byte[] b = new byte[(int) buf.limit()];
            buf.get(b);
            return b;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {".png", ".bmp", ".webp", ".jpg"})
    void decodesEveryFormatKonomiReads(String ext) {
        Image src = gradient();
        Image back = Images.decode("x" + ext, encode(src, ext));
        assertThat(back.width()).isEqualTo(40);
        assertThat(back.height()).isEqualTo(30);
        assertThat(back.channels()).isEqualTo(3);
        if (ext.equals(".png") || ext.equals(".bmp")) {
            assertThat(back.pixels()).isEqualTo(src.pixels());
        }
    }

    @Test
    void corruptOrEmptyBytesNameTheFile() {
        assertThatThrownBy(() -> Images.decode("a/b.jpg", "not an image".getBytes()))
                .isInstanceOf(KonomiException.class).hasMessage("a/b.jpg: not a readable image (corrupt or unsupported format)");
        assertThatThrownBy(() -> Images.decode("c.png", new byte[0])).hasMessage("c.png: empty file");
    }
}
