package konomi.gen.gan;

import java.nio.file.Path;
import java.util.List;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import konomi.api.Image;
import konomi.imaging.Images;
import konomi.nn.gan.FaceSet;

/** Manual probe (-Dgan.faceness=true): faceness (the cascade at 2x of 64-px faces) of each source of training faces. */
class FacenessProbe {
    @Test
    @EnabledIfSystemProperty(named = "gan.faceness", matches = "true")
    void perSource() {
        Path d = Path.of("../../../shared/data");
        CascadeClassifier c = new CascadeClassifier(d.resolve("../models/lbpcascade_animeface/lbpcascade_animeface.xml").toString());
        for (String s : List.of("anime_face_patches64/face", "anime_face_patches64/nonface", "anime_faces_holoen20", "anime_faces_moeimouto10")) {
            FaceSet f = FaceSet.load(List.of(d.resolve(s)), 64, 600, 1, m -> { });
            int found = 0;
            for (int i = 0; i < f.count(); i++) {
                Image im = Images.resize(f.image(i), 128, 128);
                try (Mat m = Images.toMat(im); Mat g = new Mat(); RectVector r = new RectVector()) {
                    opencv_imgproc.cvtColor(m, g, opencv_imgproc.COLOR_BGR2GRAY);
                    opencv_imgproc.equalizeHist(g, g);
                    c.detectMultiScale(g, r, 1.1, 5, 0, new Size(24, 24), new Size());
                    found += r.size() > 0 ? 1 : 0;
                }
            }
            System.out.printf("PROBE %s: %d of %d = %.3f%n", s, found, f.count(), found / (double) f.count());
        }
    }
}
