package konomi.api;

/**
 * An axis-aligned box in original image pixels; {@code x2}/{@code y2} are exclusive.
 */
public record Box(int x1, int y1, int x2, int y2) {

    public Box {
        if (x2 < x1 || y2 < y1) {
            throw new IllegalArgumentException("box corners out of order: " + x1 + "," + y1 + "," + x2 + "," + y2);
        }
    }

    public int width() {
        return x2 - x1;
    }

    public int height() {
        return y2 - y1;
    }

    public long area() {
        return (long) width() * height();
    }

    /** Intersection over union, 0 when the boxes do not overlap. */
    public double iou(Box o) {
        long iw = Math.max(0, Math.min(x2, o.x2) - Math.max(x1, o.x1));
        long ih = Math.max(0, Math.min(y2, o.y2) - Math.max(y1, o.y1));
        long inter = iw * ih;
        long union = area() + o.area() - inter;
        return union == 0 ? 0 : (double) inter / union;
    }

    @Override
    public String toString() {
        return x1 + "," + y1 + "," + x2 + "," + y2;
    }
}
