package konomi.api.train;

import java.util.Locale;

import konomi.api.KonomiException;

/**
 * Which training augmentations run: random crop, horizontal flip, colour jitter, zoom (a random square of 3/4 to
 * all of the cached face, resized to the input: faces framed tighter or looser, as a detector's boxes are) and grey
 * (a fifth of the pictures turned to grey, so that a character is told by more than colour, as in sketches and
 * monochrome pages). {@code all} is the first three; zoom and grey are asked for by name.
 */
public record Augment(boolean crop, boolean flip, boolean jitter, boolean zoom, boolean grey) {
    /** The share of pictures {@code grey} turns to grey (SimCLR's rate for its grey augmentation). */
    public static final double GREY_SHARE = 0.2;

    public static final Augment ALL = new Augment(true, true, true);
    public static final Augment NONE = new Augment(false, false, false);

    /** Without zoom (the three augmentations before it). */
    public Augment(boolean crop, boolean flip, boolean jitter) {
        this(crop, flip, jitter, false);
    }

    /** Without grey (the four augmentations before it). */
    public Augment(boolean crop, boolean flip, boolean jitter, boolean zoom) {
        this(crop, flip, jitter, zoom, false);
    }

    /** {@code true}/{@code all}, {@code false}/{@code none}, or a list such as {@code crop,flip}. */
    public static Augment parse(String value) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("all")) {
            return ALL;
        }
        if (s.equals("false") || s.equals("none") || s.isEmpty()) {
            return NONE;
        }
        boolean crop = false, flip = false, jitter = false, zoom = false, grey = false;
        for (String t : s.split(",")) {
            switch (t.trim()) {
                case "crop" -> crop = true;
                case "flip" -> flip = true;
                case "jitter" -> jitter = true;
                case "zoom" -> zoom = true;
                case "grey", "gray" -> grey = true;
                case "all" -> crop = flip = jitter = true; // all,zoom
                default -> throw new KonomiException("augment takes crop, flip, jitter, zoom, grey, all or none, not '" + t.trim() + "'");
            }
        }
        return new Augment(crop, flip, jitter, zoom, grey);
    }
}
