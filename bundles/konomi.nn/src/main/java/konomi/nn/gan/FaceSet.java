package konomi.nn.gan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.imaging.Images;
import konomi.nn.Tensors;

/**
 * Training faces for generators, each its centred square at {@code size}, kept as 8-bit pixels (12 KB a face at 64 px: 20,000
 * faces take 240 MB) and turned into float batches in [-1, 1] one batch at a time.
 */
public final class FaceSet {
    private final List<String> files;
    private final List<byte[]> pixels; // BGR, size x size
    private final int[] labelOf;
    private final List<String> labels;
    private final int size;

    private FaceSet(List<String> files, List<byte[]> pixels, int[] labelOf, List<String> labels, int size) {
        this.files = files;
        this.pixels = pixels;
        this.labelOf = labelOf;
        this.labels = labels;
        this.size = size;
    }

    public int count() {
        return pixels.size();
    }

    /** The labels: the names of the dataset folders' subfolders, sorted (pictures directly in a dataset folder have none). */
    public List<String> labels() {
        return labels;
    }

    /** The label index of face {@code i}, or -1. */
    public int label(int i) {
        return labelOf[i];
    }

    public String file(int i) {
        return files.get(i);
    }

    /**
     * Reads every picture under the folders (recursively, in path order); with {@code limit > 0} a seeded random
     * {@code limit} of them. A picture that cannot be read is reported and skipped.
     */
    public static FaceSet load(List<Path> folders, int size, int limit, long seed, Consumer<String> report) {
        List<Path> all = new ArrayList<>();
        java.util.Map<Path, String> labelOfFile = new java.util.HashMap<>();
        java.util.TreeSet<String> labelSet = new java.util.TreeSet<>();
        for (Path f : folders) {
            if (!Files.isDirectory(f)) {
                throw new KonomiException(f + ": no such folder");
            }
            try (Stream<Path> s = Files.walk(f)) {
                List<Path> found = s.filter(Files::isRegularFile).filter(Images::isImageFile).sorted().toList();
                for (Path p : found) {
                    all.add(p);
                    Path rel = f.relativize(p);
                    if (rel.getNameCount() > 1) {
                        labelOfFile.put(p, rel.getName(0).toString());
                        labelSet.add(rel.getName(0).toString());
                    }
                }
            } catch (IOException e) {
                throw new KonomiException(f + ": cannot list: " + e.getMessage());
            }
        }
        if (limit > 0 && all.size() > limit) {
            Collections.shuffle(all, new Random(seed));
            all = new ArrayList<>(all.subList(0, limit));
            Collections.sort(all);
        }
        List<String> files = new ArrayList<>(all.size());
        List<byte[]> pixels = new ArrayList<>(all.size());
        List<String> labels = List.copyOf(labelSet);
        List<Integer> labelIndex = new ArrayList<>(all.size());
        int bad = 0;
        for (Path p : all) {
            try {
                Image img = Images.resize(Tensors.squareCentre(Images.decode(p.toString(), Files.readAllBytes(p))), size, size);
                files.add(p.toString());
                pixels.add(img.pixels());
                String l = labelOfFile.get(p);
                labelIndex.add(l == null ? -1 : labels.indexOf(l));
            } catch (IOException | RuntimeException e) {
                bad++;
                report.accept("skipped " + p + ": " + e.getMessage());
            }
        }
        if (pixels.isEmpty()) {
            throw new KonomiException(folders + ": no readable pictures" + (bad > 0 ? " (" + bad + " unreadable)" : ""));
        }
        report.accept(pixels.size() + " faces from " + folders.size() + " folder(s)" + (bad > 0 ? ", " + bad + " unreadable skipped" : ""));
        return new FaceSet(files, pixels, labelIndex.stream().mapToInt(Integer::intValue).toArray(), labels, size);
    }

    /** The faces at these indices as an NCHW RGB batch in [-1, 1]. */
    public INDArray batch(int[] order, int from, int to) {
        int per = 3 * size * size;
        float[] data = new float[(to - from) * per];
        for (int i = from; i < to; i++) {
            Tensors.chw(pixels.get(order[i]), 3, size, data, (i - from) * per);
        }
        for (int i = 0; i < data.length; i++) {
            data[i] = data[i] * 2 - 1;
        }
        return Nd4j.create(data, new long[] {to - from, 3, size, size}, 'c');
    }

    public Image image(int i) {
        return new Image(files.get(i), size, size, 3, pixels.get(i));
    }
}
