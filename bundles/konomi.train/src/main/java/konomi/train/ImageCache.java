package konomi.train;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.imaging.Images;
import konomi.nn.Tensors;

/**
 * Decoded training images, resized once to {@code side x side} BGR bytes (side a little larger than the
 * network input, for random crops). A cached pipeline: decoding JPEGs every epoch would cost more than the
 * network on a CPU. 8,000 images at 108 px take 280 MB. Unreadable files are skipped and listed.
 */
final class ImageCache {
    final List<Sample> samples = new ArrayList<>();
    final List<byte[]> pixels = new ArrayList<>();
    final List<String> skipped;
    final int side;
    /** The margin around a face box, as score:run crops detected faces (its default --margin). */
    static final double FACE_MARGIN = 0.25;

    ImageCache(List<Sample> input, int side, int threads) {
        this.side = side;
        byte[][] out = new byte[input.size()][];
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, input.size()).parallel().forEach(i -> {
                Sample s = input.get(i);
                try {
                    Image img = Images.decode(s.id(), Files.readAllBytes(s.file()));
                    if (s.face() != null) {
                        img = Images.crop(img, Images.withMargin(s.face(), FACE_MARGIN, img.width(), img.height()));
                    }
                    out[i] = Images.resize(Tensors.squareCentre(img), side, side).pixels();
                } catch (IOException e) {
                    errors.add(s.id() + ": cannot read: " + e.getMessage());
                } catch (KonomiException e) {
                    errors.add(e.getMessage());
                }
            })).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KonomiException("interrupted while loading images");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new KonomiException("loading images failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdown();
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] != null) {
                samples.add(input.get(i));
                pixels.add(out[i]);
            }
        }
        skipped = errors.stream().sorted().toList();
    }

    private ImageCache(int side) {
        this.side = side;
        this.skipped = List.of();
    }

    /** The cached images whose sample passes the test (no decoding again). */
    ImageCache subset(java.util.function.Predicate<Sample> keep) {
        ImageCache c = new ImageCache(side);
        for (int i = 0; i < samples.size(); i++) {
            if (keep.test(samples.get(i))) {
                c.samples.add(samples.get(i));
                c.pixels.add(pixels.get(i));
            }
        }
        return c;
    }

    int size() {
        return samples.size();
    }
}
