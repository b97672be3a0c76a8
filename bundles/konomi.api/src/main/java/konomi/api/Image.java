package konomi.api;

import java.util.Objects;

/**
 * A decoded image: 8-bit pixels, row-major, interleaved BGR (3 channels) or grey (1 channel).
 * Kept free of OpenCV types so that every bundle can use it.
 */
public final class Image {
    private final String id;
    private final int width;
    private final int height;
    private final int channels;
    private final byte[] pixels;

    public Image(String id, int width, int height, int channels, byte[] pixels) {
        this.id = Objects.requireNonNull(id, "id");
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, not " + channels);
        }
        if (pixels.length != width * height * channels) {
            throw new IllegalArgumentException("expected " + width * height * channels + " bytes, got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.pixels = pixels;
    }

    /** Where the image came from (a relative path for a folder source). */
    public String id() {
        return id;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int channels() {
        return channels;
    }

    /** The pixel buffer itself, not a copy: callers must not modify it. */
    public byte[] pixels() {
        return pixels;
    }

    @Override
    public String toString() {
        return id + " (" + width + "x" + height + "x" + channels + ")";
    }
}
