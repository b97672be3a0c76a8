package konomi.imaging;

/**
 * An image's format and size as its header says, read from the first bytes without decoding any pixel, so that an
 * image too large to decode safely is refused before the decoder allocates its pixels. Knows PNG, JPEG, GIF, BMP
 * and WebP (lossy VP8, lossless VP8L, extended VP8X).
 *
 * @param format png, jpeg, gif, bmp or webp
 */
public record ImageHeader(String format, int width, int height) {

    public long pixels() {
        return (long) width * height;
    }

    /** The header of the encoded image, or null when the format is not one of the known ones or the header is cut short. */
    public static ImageHeader read(byte[] b) {
        if (b == null || b.length < 12) {
            return null;
        }
        if (u8(b, 0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            // signature (8), IHDR length (4), "IHDR" (4), width, height: big-endian
            return b.length >= 24 && b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R'
                    ? of("png", be32(b, 16), be32(b, 20)) : null;
        }
        if (b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
            return of("gif", le16(b, 6), le16(b, 8));
        }
        if (b[0] == 'B' && b[1] == 'M') {
            // BITMAPINFOHEADER and later: 32-bit width and height at 18 and 22 (height negative for top-down rows)
            if (b.length < 26) {
                return null;
            }
            int headerSize = le32(b, 14);
            return headerSize == 12 ? of("bmp", le16(b, 18), le16(b, 20)) : of("bmp", le32(b, 18), Math.abs(le32(b, 22)));
        }
        if (u8(b, 0) == 0xFF && u8(b, 1) == 0xD8) {
            return jpeg(b);
        }
        if (b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return webp(b);
        }
        return null;
    }

    /** Walks the markers up to the first start-of-frame (SOF0-SOF15 except DHT, JPG and DAC). */
    private static ImageHeader jpeg(byte[] b) {
        int i = 2;
        while (i + 4 <= b.length) {
            if (u8(b, i) != 0xFF) {
                return null;
            }
            int marker = u8(b, i + 1);
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length
                i += 2;
                continue;
            }
            int len = be16(b, i + 2);
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                // length (2), precision (1), height (2), width (2)
                return i + 9 <= b.length ? of("jpeg", be16(b, i + 7), be16(b, i + 5)) : null;
            }
            if (marker == 0xD9 || marker == 0xDA || len < 2) {
                return null; // end of image or scan data before any frame header
            }
            i += 2 + len;
        }
        return null;
    }

    private static ImageHeader webp(byte[] b) {
        if (b.length < 30) {
            return null;
        }
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        switch (chunk) {
            case "VP8 ": // key frame: start code 9d 01 2a at 23, then 14-bit width and height
                return u8(b, 23) == 0x9D && u8(b, 24) == 0x01 && u8(b, 25) == 0x2A
                        ? of("webp", le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF) : null;
            case "VP8L": { // signature 0x2f, then 14-bit width-1 and height-1
                if (u8(b, 20) != 0x2F) {
                    return null;
                }
                int bits = le32(b, 21);
                return of("webp", (bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
            }
            case "VP8X": // flags (4), then 24-bit canvas width-1 and height-1
                return of("webp", le24(b, 24) + 1, le24(b, 27) + 1);
            default:
                return null;
        }
    }

    private static ImageHeader of(String format, int width, int height) {
        return width > 0 && height > 0 ? new ImageHeader(format, width, height) : null;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int be16(byte[] b, int i) {
        return u8(b, i) << 8 | u8(b, i + 1);
    }

    private static int be32(byte[] b, int i) {
        return u8(b, i) << 24 | u8(b, i + 1) << 16 | u8(b, i + 2) << 8 | u8(b, i + 3);
    }

    private static int le16(byte[] b, int i) {
        return u8(b, i) | u8(b, i + 1) << 8;
    }

    private static int le24(byte[] b, int i) {
        return u8(b, i) | u8(b, i + 1) << 8 | u8(b, i + 2) << 16;
    }

    private static int le32(byte[] b, int i) {
        return u8(b, i) | u8(b, i + 1) << 8 | u8(b, i + 2) << 16 | u8(b, i + 3) << 24;
    }
}
