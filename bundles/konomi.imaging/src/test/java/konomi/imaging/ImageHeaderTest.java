package konomi.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import konomi.api.KonomiException;

class ImageHeaderTest {

    @ParameterizedTest
    @ValueSource(strings = {".png", ".bmp", ".webp", ".jpg"})
    void readsTheSizeOfEveryFormatOpenCvWrites(String ext) {
        ImageHeader h = ImageHeader.read(ImagesTest.encode(ImagesTest.gradient(), ext));
        assertThat(h).isNotNull();
        assertThat(h.width()).isEqualTo(40);
        assertThat(h.height()).isEqualTo(30);
    }

    @Test
    void readsLosslessWebpAndGif() {
        try (Mat m = Images.toMat(ImagesTest.gradient()); BytePointer buf = new BytePointer();
             IntPointer lossless = new IntPointer(IMWRITE_WEBP_QUALITY, 101)) {
            assertThat(imencode(".webp", m, buf, lossless)).isTrue();
            byte[] b = new byte[(int) buf.limit()];
            buf.get(b);
            assertThat(new String(b, 12, 4, StandardCharsets.ISO_8859_1)).isEqualTo("VP8L");
            assertThat(ImageHeader.read(b)).isEqualTo(new ImageHeader("webp", 40, 30));
        }
        // GIF89a, logical screen 300x200, then a global colour table flag byte: the header is all that is read
        byte[] gif = {'G', 'I', 'F', '8', '9', 'a', 0x2C, 0x01, (byte) 0xC8, 0x00, 0, 0, 0};
        assertThat(ImageHeader.read(gif)).isEqualTo(new ImageHeader("gif", 300, 200));
    }

    @Test
    void unknownOrTruncatedBytesHaveNoHeader() {
        assertThat(ImageHeader.read("not an image at all".getBytes())).isNull();
        byte[] png = ImagesTest.encode(ImagesTest.gradient(), ".png");
        assertThat(ImageHeader.read(java.util.Arrays.copyOf(png, 20))).isNull();
    }

    @Test
    void aHugePngIsRefusedFromItsHeaderWithoutDecoding() throws IOException {
        byte[] png = uniformPng(20000, 20000);
        assertThat(png.length).isLessThan(2_000_000); // one grey level compresses ~1000:1
        assertThat(ImageHeader.read(png)).isEqualTo(new ImageHeader("png", 20000, 20000));
        assertThatThrownBy(() -> Images.decode("big.png", png)).isInstanceOf(KonomiException.class)
                .hasMessage("big.png: image too large (20000x20000, 400 megapixels; the limit is 100 megapixels and 16384 pixels a side)");
        // long and thin: few pixels, one side over the limit
        assertThatThrownBy(() -> Images.decode("wide.png", uniformPng(20000, 10))).hasMessageContaining("wide.png: image too large (20000x10");
    }

    /** An 8-bit greyscale PNG of one level, written row by row through a Deflater (nothing of w*h is held). */
    static byte[] uniformPng(int w, int h) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0)
                .put((byte) 0).array());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] row = new byte[w + 1]; // filter type 0, then w zero pixels
        try (OutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
            for (int y = 0; y < h; y++) {
                z.write(row);
            }
        }
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
