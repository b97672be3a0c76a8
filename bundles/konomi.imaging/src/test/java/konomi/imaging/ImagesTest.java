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
    void padGridAndPngKeepEveryPixelWhereItBelongs() {
        byte[] px = new byte[2 * 3 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 10);
        }
        konomi.api.Image a = new konomi.api.Image("a", 3, 2, 3, px);
        konomi.api.Image p = Images.pad(a, 2);
        org.junit.jupiter.api.Assertions.assertEquals(7, p.width());
        org.junit.jupiter.api.Assertions.assertEquals(6, p.height());
        org.junit.jupiter.api.Assertions.assertEquals((byte) 128, p.pixels()[0]);
        org.junit.jupiter.api.Assertions.assertEquals(px[3], p.pixels()[((2 * 7) + 3) * 3]); // a's pixel (1,0) at (3,2)
        konomi.api.Image g = Images.grid(java.util.List.of(a, a, a), 2);
        org.junit.jupiter.api.Assertions.assertEquals(2 * (3 + 2) + 2, g.width());
        org.junit.jupiter.api.Assertions.assertEquals(2 * (2 + 2) + 2, g.height());
        konomi.api.Image back = Images.decode("png", Images.png(g));
        org.junit.jupiter.api.Assertions.assertArrayEquals(g.pixels(), back.pixels(), "PNG is lossless");
    }

    @Test
    void corruptOrEmptyBytesNameTheFile() {
        assertThatThrownBy(() -> Images.decode("a/b.jpg", "not an image".getBytes()))
                .isInstanceOf(KonomiException.class).hasMessage("a/b.jpg: not a readable image (corrupt or unsupported format)");
        assertThatThrownBy(() -> Images.decode("c.png", new byte[0])).hasMessage("c.png: empty file");
    }
}
