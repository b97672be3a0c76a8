package konomi.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import konomi.api.Image;
import konomi.imaging.Images;

/** A small classification dataset the tests make: three classes of noisy 24 px pictures, each class its own colour. */
final class ColourClasses {
    private ColourClasses() {
    }

    /** Writes {@code perClass} PNGs into {@code root/c0..c2} and returns {@code root}. */
    static Path write(Path root, int perClass, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        int side = 24;
        for (int c = 0; c < 3; c++) {
            Path d = Files.createDirectories(root.resolve("c" + c));
            for (int i = 0; i < perClass; i++) {
                byte[] px = new byte[side * side * 3];
                for (int p = 0; p < px.length; p++) {
                    px[p] = (byte) (p % 3 == c ? 150 + rnd.nextInt(100) : rnd.nextInt(100));
                }
                Files.write(d.resolve(i + ".png"), Images.png(new Image(c + "-" + i, side, side, 3, px)));
            }
        }
        return root;
    }
}
