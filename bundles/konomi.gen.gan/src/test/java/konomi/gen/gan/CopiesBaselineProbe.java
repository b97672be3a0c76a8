package konomi.gen.gan;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import konomi.imaging.PerceptualHash;
import konomi.nn.gan.FaceSet;

/**
 * Manual probe (-Dgan.copies=true): how often a real face is within the duplicate distance of another training face;
 * {@code -Dgan.folders=a,b} (under ../shared/data) picks the folders, by default the three the shipped GAN 1.0.0 used.
 */
class CopiesBaselineProbe {
    @Test
    @EnabledIfSystemProperty(named = "gan.copies", matches = "true")
    void baseline() {
        Path d = Path.of("../../../shared/data");
        List<Path> folders = java.util.Arrays.stream(System.getProperty("gan.folders", "anime_face_patches64/face,anime_faces_holoen20,anime_faces_moeimouto10")
                .split(",")).map(d::resolve).toList();
        FaceSet faces = FaceSet.load(folders, 64, 0, 1, m -> { });
        long[] h = new long[faces.count()];
        for (int i = 0; i < h.length; i++) {
            h[i] = PerceptualHash.of(faces.image(i));
        }
        Random r = new Random(1);
        int n = 2000, near = 0;
        for (int k = 0; k < n; k++) {
            int i = r.nextInt(h.length);
            for (int j = 0; j < h.length; j++) {
                if (j != i && PerceptualHash.distance(h[i], h[j]) <= PerceptualHash.DEFAULT_DISTANCE) {
                    near++;
                    break;
                }
            }
        }
        System.out.printf("PROBE %d of %d training faces have another training face within %d bits: %.4f%n", near, n,
                PerceptualHash.DEFAULT_DISTANCE, near / (double) n);
    }
}
