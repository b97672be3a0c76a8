package konomi.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import konomi.api.Image;

/**
 * The perceptual hash on real illustrations: the 12 of anime_illustrations_plain and the first 48 of
 * anime_face_boxes. A copy resized to half and recompressed as JPEG quality 60 must stay within
 * {@link PerceptualHash#DEFAULT_DISTANCE}; different pictures must lie far beyond it.
 */
class PerceptualHashTest {
    static final Path DATA = Path.of(System.getProperty("konomi.shared", "../../../shared"), "data");
    static List<Path> pictures;
    static long[] originals;
    static long[] copies;
    static long[] harsh;

    @BeforeAll
    static void hashAll() throws IOException {
        pictures = new ArrayList<>(jpgs(DATA.resolve("anime_illustrations_plain"), 12));
        pictures.addAll(jpgs(DATA.resolve("anime_face_boxes/images"), 48));
        assertThat(pictures).as("pictures under " + DATA.toAbsolutePath()).hasSize(60);
        originals = new long[pictures.size()];
        copies = new long[pictures.size()];
        harsh = new long[pictures.size()];
        for (int i = 0; i < pictures.size(); i++) {
            Image img = Images.decode(pictures.get(i).toString(), Files.readAllBytes(pictures.get(i)));
            originals[i] = PerceptualHash.of(img);
            Image half = Images.resize(img, Math.max(1, img.width() / 2), Math.max(1, img.height() / 2));
            copies[i] = PerceptualHash.of(Images.decode("copy", Images.jpeg(half, 60)));
            Image quarter = Images.resize(img, Math.max(1, img.width() / 4), Math.max(1, img.height() / 4));
            harsh[i] = PerceptualHash.of(Images.decode("harsh", Images.jpeg(quarter, 30)));
        }
    }

    static List<Path> jpgs(Path dir, int n) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(n).toList();
        }
    }

    @Test
    void aResizedRecompressedCopyIsNearAndOtherPicturesAreFar() {
        int n = pictures.size();
        int[] same = new int[n];
        for (int i = 0; i < n; i++) {
            same[i] = PerceptualHash.distance(originals[i], copies[i]);
        }
        int[] different = new int[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                different[k++] = PerceptualHash.distance(originals[i], originals[j]);
            }
        }
        int[] harder = new int[n];
        for (int i = 0; i < n; i++) {
            harder[i] = PerceptualHash.distance(originals[i], harsh[i]);
        }
        Arrays.sort(harder);
        Arrays.sort(same);
        Arrays.sort(different);
        System.out.printf(Locale.ROOT, "phash on %d pictures: same picture (0.5x, JPEG 60) min %d median %d p95 %d max %d; "
                        + "different pairs (%d) min %d p1 %d p5 %d median %d; different pairs within %d bits: %d; (0.25x, JPEG 30) median %d max %d%n",
                n, same[0], same[n / 2], same[(int) (n * 0.95)], same[n - 1], different.length, different[0],
                different[different.length / 100], different[different.length / 20], different[different.length / 2],
                PerceptualHash.DEFAULT_DISTANCE, Arrays.stream(different).filter(d -> d <= PerceptualHash.DEFAULT_DISTANCE).count(),
                harder[n / 2], harder[n - 1]);
        assertThat(same[n - 1]).as("worst copy").isLessThanOrEqualTo(PerceptualHash.DEFAULT_DISTANCE);
        assertThat(different[0]).as("nearest two different pictures").isGreaterThan(PerceptualHash.DEFAULT_DISTANCE + 2);
    }

    @Test
    void distanceCountsDifferingBits() {
        assertThat(PerceptualHash.distance(0L, 0L)).isZero();
        assertThat(PerceptualHash.distance(0L, -1L)).isEqualTo(64);
        assertThat(PerceptualHash.distance(0b1011L, 0b0001L)).isEqualTo(2);
        assertThat(PerceptualHash.distance(originals[0], originals[0])).isZero();
    }

    @Test
    void theHashIsTheSameForTheSamePixels() throws IOException {
        Image img = Images.decode("a", Files.readAllBytes(pictures.get(0)));
        assertThat(PerceptualHash.of(img)).isEqualTo(originals[0]);
        // a grey copy hashes like its colour original (PHash works on grey)
        assertThat(PerceptualHash.distance(PerceptualHash.of(grey(img)), originals[0])).isLessThanOrEqualTo(2);
    }

    static Image grey(Image bgr) {
        byte[] px = bgr.pixels(), g = new byte[bgr.width() * bgr.height()];
        for (int i = 0; i < g.length; i++) {
            g[i] = (byte) Math.round(0.114 * (px[3 * i] & 0xFF) + 0.587 * (px[3 * i + 1] & 0xFF) + 0.299 * (px[3 * i + 2] & 0xFF));
        }
        return new Image(bgr.id(), bgr.width(), bgr.height(), 1, g);
    }
}
