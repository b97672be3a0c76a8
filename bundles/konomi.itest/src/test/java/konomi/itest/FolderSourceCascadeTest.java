package konomi.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.FaceDetector;
import konomi.api.Image;
import konomi.api.ImageSource;
import konomi.api.SourceItem;

/**
 * konomi.source.folder and the animeface cascade (konomi.model.animeface loaded by konomi.model.extender
 * through konomi.detect.cascade) on real pictures of ../shared/data/anime_illustrations_plain.
 */
@ExtendWith(ServiceExtension.class)
class FolderSourceCascadeTest {
    /** One face, 120x117 px, upright. */
    static final String PICTURE = "grapeot_112032.jpg";

    @InjectService(filter = "(konomi.name=folder)", timeout = 20_000)
    ImageSource folder;

    @InjectService(filter = "(" + FaceDetector.NAME + "=animeface)", timeout = 20_000)
    FaceDetector animeface;

    @Test
    void folderSourceListsEveryPictureInPathOrderAndNothingElse() throws Exception {
        List<String> expected;
        try (Stream<Path> files = Files.list(SharedData.plain())) {
            expected = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jpg")).sorted().toList();
        }
        List<String> ids;
        try (Stream<SourceItem> items = folder.open(SharedData.plain().toString())) {
            ids = items.map(SourceItem::id).toList();
        }
        // README.md, boxes.csv and labels/*.txt are not images
        assertThat(ids).hasSize(12).containsExactlyElementsOf(expected);
    }

    @Test
    void animefaceFindsTheAnnotatedFace() throws Exception {
        Image image = SharedData.picture(folder, PICTURE);
        List<Box> truth = SharedData.boxes(PICTURE);
        assertThat(truth).hasSize(1);

        List<Face> faces = animeface.detect(image);

        assertThat(faces).isNotEmpty();
        double best = faces.stream().mapToDouble(f -> f.box().iou(truth.get(0))).max().orElse(0);
        assertThat(best).as("best IoU of %s with %s", faces, truth).isGreaterThanOrEqualTo(0.5);
    }
}
