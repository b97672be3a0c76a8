package konomi.api.train;

import java.util.Locale;

import konomi.api.KonomiException;

/**
 * Which training augmentations run: random crop, horizontal flip, colour jitter, and zoom (a random square of 3/4 to
 * all of the cached face, resized to the input: faces framed tighter or looser, as a detector's boxes are). {@code all}
 * is the first three; zoom is asked for by name.
 */
public record Augment(boolean crop, boolean flip, boolean jitter, boolean zoom) {
    public static final Augment ALL = new Augment(true, true, true);
    public static final Augment NONE = new Augment(false, false, false);

    /** Without zoom (the three augmentations before it). */
    public Augment(boolean crop, boolean flip, boolean jitter) {
        this(crop, flip, jitter, false);
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
        boolean crop = false, flip = false, jitter = false, zoom = false;
        for (String t : s.split(",")) {
            switch (t.trim()) {
                case "crop" -> crop = true;
                case "flip" -> flip = true;
                case "jitter" -> jitter = true;
                case "zoom" -> zoom = true;
                case "all" -> crop = flip = jitter = true; // all,zoom
                default -> throw new KonomiException("augment takes crop, flip, jitter, zoom, all or none, not '" + t.trim() + "'");
            }
        }
        return new Augment(crop, flip, jitter, zoom);
    }
}
