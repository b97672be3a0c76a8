package konomi.source.web.common;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The images an HTML document shows or links, in document order, as absolute http(s) URLs without duplicates:
 * {@code og:image}, {@code img} (the largest {@code srcset} candidate, else {@code src}, else a lazy-loading
 * {@code data-src}), {@code picture > source srcset}, and {@code a href} pointing at an image file. Relative URLs
 * are resolved against the document's URL (or its {@code <base href>}).
 */
public final class HtmlImages {
    /** File name endings of images (a link with one of these is taken as an image). */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp", "webp");

    private HtmlImages() {
    }

    /** The images of an HTML fragment or page, resolved against {@code base}. */
    public static List<URI> find(String html, URI base) {
        return find(Jsoup.parse(html, base.toString()));
    }

    public static List<URI> find(Document doc) {
        Set<URI> found = new LinkedHashSet<>();
        for (Element e : doc.select("meta[property=og:image], meta[name=og:image], img, picture > source[srcset], a[href]")) {
            switch (e.normalName()) {
                case "meta" -> add(found, e.baseUri(), e.attr("content"));
                case "img", "source" -> {
                    String best = largest(e.attr("srcset"));
                    add(found, e.baseUri(), best != null ? best : !e.attr("src").isBlank() ? e.attr("src") : e.attr("data-src"));
                }
                default -> {
                    URI u = resolve(e.baseUri(), e.attr("href"));
                    if (u != null && isImagePath(u)) {
                        found.add(u);
                    }
                }
            }
        }
        return new ArrayList<>(found);
    }

    /** Whether the URL's path ends with an image file name ending ({@code .jpg}, {@code .png} ...). */
    public static boolean isImagePath(URI u) {
        String p = u.getPath();
        if (p == null) {
            return false;
        }
        int dot = p.lastIndexOf('.');
        return dot >= 0 && dot > p.lastIndexOf('/') && EXTENSIONS.contains(p.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The URL of the largest candidate of a srcset ({@code a.jpg 640w, b.jpg 1280w} or {@code 1x}/{@code 2x}), or null. */
    public static String largest(String srcset) {
        String best = null;
        double bestSize = -1;
        if (srcset == null || srcset.isBlank()) {
            return null;
        }
        for (String candidate : srcset.split(",(?=\\s*\\S)")) {
            String[] parts = candidate.strip().split("\\s+");
            if (parts.length == 0 || parts[0].isEmpty()) {
                continue;
            }
            double size = 1e-6; // no descriptor means 1x; x densities rank below any width
            if (parts.length > 1) {
                String d = parts[1].toLowerCase(Locale.ROOT);
                try {
                    size = Double.parseDouble(d.substring(0, d.length() - 1)) * (d.endsWith("w") ? 1 : d.endsWith("x") ? 1e-6 : 0);
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    size = 0;
                }
            }
            if (size > bestSize) {
                bestSize = size;
                best = parts[0];
            }
        }
        return best;
    }

    private static void add(Set<URI> found, String base, String ref) {
        URI u = resolve(base, ref);
        if (u != null) {
            found.add(u);
        }
    }

    private static URI resolve(String base, String ref) {
        if (ref == null || ref.isBlank()) {
            return null;
        }
        try {
            URL u = base == null || base.isEmpty() ? new URL(ref.strip()) : new URL(new URL(base), ref.strip());
            String scheme = u.getProtocol().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return null;
            }
            // drop the fragment: it names a place in a page, never another image
            String s = u.toExternalForm();
            int hash = s.indexOf('#');
            URI r = new URI((hash < 0 ? s : s.substring(0, hash)).replace(" ", "%20")).normalize();
            String path = r.getRawPath();
            if (path == null || !path.startsWith("/../")) {
                return r;
            }
            // as browsers do: ".." above the root stays at the root
            while (path.startsWith("/../")) {
                path = path.substring(3);
            }
            String q = r.getRawQuery();
            return new URI(r.getScheme() + "://" + r.getRawAuthority() + path + (q == null ? "" : "?" + q));
        } catch (MalformedURLException | URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
