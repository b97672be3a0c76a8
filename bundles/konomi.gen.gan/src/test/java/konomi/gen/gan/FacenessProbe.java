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
            List<Image> images = new java.util.ArrayList<>();
            for (int i = 0; i < f.count(); i++) {
                images.add(f.image(i));
            }
            report(c, s, images);
        }
        String model = System.getProperty("gan.model");
        if (model != null) {
            konomi.api.gen.Generator g = new GanGeneratorFactory().create(new konomi.api.model.ModelDescriptor("generator", "gan", "probe",
                    "1", "model.zip", "64x64x3", java.util.Map.of("latent", "128"), "probe", "probe"), Path.of(model));
            report(c, "samples of " + model, g.generate(600, 1));
        }
    }

    /** Faceness as defined (the picture at 128 px alone) and with a 32-px grey margin around it (windows that reach the border fit). */
    private static void report(CascadeClassifier c, String what, List<Image> images) {
        int found = 0, framed = 0;
        for (Image i : images) {
            Image big = Images.resize(i, 128, 128);
            found += detect(c, big, 0) ? 1 : 0;
            framed += detect(c, big, 32) ? 1 : 0;
        }
        System.out.printf("PROBE %s: %.3f alone, %.3f with a margin (%d)%n", what, found / (double) images.size(), framed / (double) images.size(), images.size());
    }

    private static boolean detect(CascadeClassifier c, Image im, int margin) {
        try (Mat m = Images.toMat(im); Mat p = new Mat(); Mat g = new Mat(); RectVector r = new RectVector()) {
            org.bytedeco.opencv.global.opencv_core.copyMakeBorder(m, p, margin, margin, margin, margin, org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT,
                    new org.bytedeco.opencv.opencv_core.Scalar(128, 128, 128, 0));
            opencv_imgproc.cvtColor(p, g, opencv_imgproc.COLOR_BGR2GRAY);
            opencv_imgproc.equalizeHist(g, g);
            c.detectMultiScale(g, r, 1.1, 5, 0, new Size(24, 24), new Size());
            return r.size() > 0;
        }
    }
}
