package konomi.api.train;

import java.util.Locale;

import konomi.api.KonomiException;

/** Which training augmentations run: random crop, horizontal flip, colour jitter. */
public record Augment(boolean crop, boolean flip, boolean jitter) {
    public static final Augment ALL = new Augment(true, true, true);
    public static final Augment NONE = new Augment(false, false, false);

    /** {@code true}/{@code all}, {@code false}/{@code none}, or a list such as {@code crop,flip}. */
    public static Augment parse(String value) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("all")) {
            return ALL;
        }
        if (s.equals("false") || s.equals("none") || s.isEmpty()) {
            return NONE;
        }
        boolean crop = false, flip = false, jitter = false;
        for (String t : s.split(",")) {
            switch (t.trim()) {
                case "crop" -> crop = true;
                case "flip" -> flip = true;
                case "jitter" -> jitter = true;
                default -> throw new KonomiException("augment takes crop, flip, jitter, all or none, not '" + t.trim() + "'");
            }
        }
        return new Augment(crop, flip, jitter);
    }
}
