package konomi.train;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import konomi.api.Box;
import konomi.api.KonomiException;
import konomi.imaging.boxes.BoxLabels;

/**
 * The files composites are made of, as sorted path lists (nothing is decoded here): face crops of three sets,
 * non-face patches, and training illustrations with their labelled face boxes (to be painted over).
 */
final class CompositeData {

    /**
     * A set of face crops and where its tight face box (fringe to chin, as the box sets label faces) lies inside a
     * crop, as fractions of the crop's width and height. Chosen by drawing candidate boxes on a few dozen crops of each
     * set next to boxes of anime_face_boxes (train part): those boxes are about square (median height/width 0.99), run
     * from the top of the fringe to the chin, span the cheeks plus a little hair on either side, and put the eyes at
     * 45-50% of their height. In the crops:
     * <ul>
     * <li>holoen20 (128 px, Danbooru crops cut close, face filling the crop): fringe at about 15%, chin at about 90%
     * of the height, cheeks and side hair at 10-90% of the width;</li>
     * <li>moeimouto10 (160 px, nagadomi's detector crops with a wide margin of hair): fringe at about 31%, chin at
     * about 88%, 22-78% across;</li>
     * <li>patches64/face (64 px, lbpcascade_animeface crops of getchu portraits): top of the fringe at about 9%, chin
     * at about 88%, 8-92% across.</li>
     * </ul>
     * Cross-check with the shipped cascade as a common ruler: on anime_face_boxes (train part) its boxes are 1.07x the
     * hand labels, centred 0.13 box heights lower; on composites of one set each (no rotation) 1.25-1.34x these labels
     * for holoen20 and patches64 and 0.74-0.88x for moeimouto10, centred 0.28 heights lower (down at the eyes). The
     * cascade judges pasted crops too unevenly to set the fractions by it; they stay the ones chosen by eye.
     * {@code maxUpscale} keeps small crops from being blown up into blurry faces (which would teach "blurry = face").
     */
    enum FaceSet {
        HOLOEN20("anime_faces_holoen20", 0.10, 0.15, 0.90, 0.90, 4.0, 0.45),
        MOEIMOUTO10("anime_faces_moeimouto10", 0.22, 0.31, 0.78, 0.88, 4.0, 0.20),
        PATCHES64("anime_face_patches64/face", 0.08, 0.09, 0.92, 0.88, 2.5, 0.35);

        final String folder;
        final double fx1, fy1, fx2, fy2, maxUpscale, weight;

        FaceSet(String folder, double fx1, double fy1, double fx2, double fy2, double maxUpscale, double weight) {
            this.folder = folder;
            this.fx1 = fx1;
            this.fy1 = fy1;
            this.fx2 = fx2;
            this.fy2 = fy2;
            this.maxUpscale = maxUpscale;
            this.weight = weight;
        }
    }

    /** An illustration whose labelled faces are painted over before it becomes a background. */
    record Illustration(Path file, List<Box> faces) {
    }

    static final String NONFACE = "anime_face_patches64/nonface", ANIME_BOXES = "anime_face_boxes",
            CARTOON_BOXES = "cartoon_face_boxes";

    final Path root;
    final List<List<Path>> crops = new ArrayList<>(); // by FaceSet ordinal
    final List<Path> tiles;
    final List<Illustration> illustrations = new ArrayList<>();

    CompositeData(Path root) {
        this.root = root;
        if (!Files.isDirectory(root)) {
            throw new KonomiException(root + ": data folder not found (--data: the shared data folder with "
                    + FaceSet.HOLOEN20.folder + " and the others)");
        }
        for (FaceSet s : FaceSet.values()) {
            crops.add(images(root.resolve(s.folder)));
        }
        tiles = images(root.resolve(NONFACE));
        // anime_face_boxes: its training part only (val/test stay unseen); anime_illustrations_plain never
        Path anime = root.resolve(ANIME_BOXES);
        Map<String, List<Box>> animeBoxes = BoxLabels.readCsv(anime.resolve("boxes.csv"));
        for (String file : trainPart(anime.resolve("split.csv"))) {
            illustrations.add(new Illustration(anime.resolve(file), animeBoxes.getOrDefault(file, List.of())));
        }
        Path cartoon = root.resolve(CARTOON_BOXES);
        Map<String, List<Box>> cartoonBoxes = BoxLabels.readCsv(cartoon.resolve("boxes.csv"));
        for (Path p : images(cartoon.resolve("images"))) {
            String file = "images/" + p.getFileName();
            illustrations.add(new Illustration(p, cartoonBoxes.getOrDefault(file, List.of())));
        }
        if (illustrations.isEmpty()) {
            throw new KonomiException(anime + ": no training illustrations");
        }
    }

    /** The image files under a folder (recursive), sorted; refuses a missing or empty folder. */
    static List<Path> images(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new KonomiException(folder + ": folder not found (is --data the shared data folder?)");
        }
        try (Stream<Path> s = Files.walk(folder)) {
            List<Path> files = s.filter(BoxLabels::isImage).sorted().toList();
            if (files.isEmpty()) {
                throw new KonomiException(folder + ": no images");
            }
            return files;
        } catch (IOException e) {
            throw new KonomiException(folder + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static List<String> trainPart(Path splitCsv) {
        if (!Files.isRegularFile(splitCsv)) {
            throw new KonomiException(splitCsv + ": not found (it says which pictures are for training)");
        }
        List<String> files = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(splitCsv, StandardCharsets.UTF_8)) {
            var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true)
                    .setIgnoreEmptyLines(true).build().parse(r);
            if (!parser.getHeaderNames().equals(List.of("file", "part"))) {
                throw new KonomiException(splitCsv + ":1: expected header file,part");
            }
            for (CSVRecord rec : parser) {
                if (!rec.isConsistent()) {
                    throw new KonomiException(splitCsv + ":" + (rec.getRecordNumber() + 1) + ": expected file,part");
                }
                if (rec.get("part").equals("train")) {
                    files.add(rec.get("file"));
                }
            }
        } catch (IOException e) {
            throw new KonomiException(splitCsv + ": cannot read: " + e.getMessage(), e);
        }
        files.sort(null);
        return files;
    }
}
