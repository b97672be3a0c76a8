package konomi.fetch;

/** Recognises an image by its first bytes (magic numbers): JPEG, PNG, GIF, BMP, WebP. */
final class ImageHeader {
    private ImageHeader() {
    }

    /** The format name, or null when the bytes start like none of them. */
    static String format(byte[] b) {
        if (starts(b, 0, 0xFF, 0xD8, 0xFF)) {
            return "JPEG";
        }
        if (starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "PNG";
        }
        if (starts(b, 0, 'G', 'I', 'F', '8', '7', 'a') || starts(b, 0, 'G', 'I', 'F', '8', '9', 'a')) {
            return "GIF";
        }
        if (starts(b, 0, 'B', 'M') && b.length >= 26) {
            return "BMP";
        }
        if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'E', 'B', 'P')) {
            return "WebP";
        }
        return null;
    }

    private static boolean starts(byte[] b, int at, int... magic) {
        if (b.length < at + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[at + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
