package konomi.source.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.fetch.LocalServer;
import konomi.api.KonomiException;
import konomi.api.SourceItem;
import konomi.api.fetch.Fetcher;
import konomi.source.web.common.HtmlImages;
import konomi.source.web.common.WebItem;

/** The page and URL-list sources against a real local server, through the real fetcher. */
class WebSourcesTest {
    static final Path PICS = LocalServer.PICTURES;
    final LocalServer server;
    final Fetcher fetcher;

    WebSourcesTest() throws Exception {
        server = new LocalServer();
        for (String name : List.of("grapeot_112032.jpg", "grapeot_119032.jpg", "grapeot_164032.jpg", "jonathonyan_detect_02.jpg")) {
            server.serve("/img/" + name, "image/jpeg", Files.readAllBytes(PICS.resolve(name)));
        }
        server.serve("/img/small.jpg", "image/jpeg", Files.readAllBytes(PICS.resolve("grapeot_57032.jpg")));
        server.serve("/fake.jpg", "text/html", "<html>not a picture</html>".getBytes(StandardCharsets.UTF_8));
        server.serve("/gallery.html", "text/html; charset=utf-8", """
                <!doctype html><html><head><meta property="og:image" content="/img/grapeot_112032.jpg"><title>gallery</title></head>
                <body>
                  <img src="img/small.jpg" srcset="img/small.jpg 320w, img/grapeot_119032.jpg 1280w, img/jonathonyan_detect_02.jpg 640w">
                  <a href="img/grapeot_164032.jpg">full size</a> <a href="/about.html">about</a>
                  <img src="/img/grapeot_112032.jpg#again">
                  <img src="data:image/png;base64,iVBORw0KGgo=">
                  <a href="../fake.jpg">a picture that is not</a>
                </body></html>
                """.getBytes(StandardCharsets.UTF_8));
        fetcher = fetcher();
    }

    /** The real fetcher, without delay or disk copies (its constructor is package-private in konomi.fetch). */
    static Fetcher fetcher() throws Exception {
        Class<?> settings = Class.forName("konomi.fetch.Settings");
        var of = settings.getDeclaredMethod("of", String.class, String.class, String.class, long.class, long.class, long.class, int.class,
                long.class, long.class);
        of.setAccessible(true);
        Object s = of.invoke(null, "test", "0.1.0", "", 0L, 2000L, 5000L, 1, 20L, 20L << 20);
        Constructor<?> c = Class.forName("konomi.fetch.HttpFetcher").getDeclaredConstructor(settings, Path.class);
        c.setAccessible(true);
        return (Fetcher) c.newInstance(s, null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static List<String> ids(Stream<SourceItem> s) {
        try (s) {
            return s.map(SourceItem::id).toList();
        }
    }

    @Test
    void aPageGivesTheImagesItShowsOrLinksInPageOrderOnceEach() throws IOException {
        List<SourceItem> items = new PageSource(fetcher).open(server.uri("/gallery.html").toString()).toList();
        assertThat(items).extracting(SourceItem::id).containsExactly(
                server.uri("/img/grapeot_112032.jpg").toString(), // og:image (and again later: once)
                server.uri("/img/grapeot_119032.jpg").toString(), // the largest srcset candidate
                server.uri("/img/grapeot_164032.jpg").toString(), // a link to an image file
                server.uri("/fake.jpg").toString());
        assertThat(items.get(1).read()).isEqualTo(Files.readAllBytes(PICS.resolve("grapeot_119032.jpg")));
        // a bad image fails only itself, in one line
        assertThatThrownBy(items.get(3)::read).isInstanceOf(KonomiException.class).hasMessage(server.uri("/fake.jpg") + ": not an image (text/html)");
        // images are fetched only when read
        assertThat(server.paths()).containsExactly("/robots.txt", "/gallery.html", "/img/grapeot_119032.jpg", "/fake.jpg");
    }

    @Test
    void aUrlListGivesItsImagesAndThoseOfItsPagesAndReportsBadLinesAsItems(@TempDir Path tmp) throws Exception {
        Path list = tmp.resolve("daily.urls");
        Files.writeString(list, String.join("\n",
                "# pictures of the day",
                server.uri("/img/grapeot_164032.jpg").toString(),
                "",
                "   " + server.uri("/gallery.html") + "   ",
                "not a url",
                server.uri("/gone.html").toString(),
                server.uri("/img/grapeot_164032.jpg").toString()));
        UrlListSource source = new UrlListSource(fetcher);
        assertThat(source.accepts(list.toString())).isTrue();
        assertThat(source.accepts("pics/")).isFalse();
        assertThat(source.accepts("http://example.org/a.urls")).isFalse();
        List<SourceItem> items = source.open(list.toString()).toList();
        assertThat(items).extracting(SourceItem::id).containsExactly(
                server.uri("/img/grapeot_164032.jpg").toString(),
                server.uri("/img/grapeot_112032.jpg").toString(),
                server.uri("/img/grapeot_119032.jpg").toString(),
                server.uri("/fake.jpg").toString(),
                "daily.urls:5",
                server.uri("/gone.html").toString());
        assertThat(items.get(0).read()).isEqualTo(Files.readAllBytes(PICS.resolve("grapeot_164032.jpg")));
        assertThatThrownBy(items.get(4)::read).hasMessage("daily.urls:5: not an http(s) URL: not a url");
        assertThatThrownBy(items.get(5)::read).hasMessage(server.uri("/gone.html") + ": HTTP 404");
        assertThatThrownBy(() -> source.open(tmp.resolve("none.urls").toString())).hasMessage(tmp.resolve("none.urls") + ": file not found");
    }

    @Test
    void srcsetAndLinksAreReadTheWayBrowsersDo() {
        assertThat(HtmlImages.largest("a.jpg 1x, b.jpg 2x")).isEqualTo("b.jpg");
        assertThat(HtmlImages.largest("a.jpg, b.jpg 1.5x")).isEqualTo("b.jpg");
        assertThat(HtmlImages.largest("a.jpg 200w,b.jpg 100w")).isEqualTo("a.jpg");
        assertThat(HtmlImages.largest(" ")).isNull();
        URI base = URI.create("https://example.org/blog/post/");
        assertThat(HtmlImages.find("<base href='https://cdn.example.org/x/'><img src='a b.png'><a href='/p.html'>p</a>"
                + "<a href='b.WEBP?s=1'>b</a><img data-src='lazy.jpg'>", base)).containsExactly(
                URI.create("https://cdn.example.org/x/a%20b.png"), URI.create("https://cdn.example.org/x/b.WEBP?s=1"),
                URI.create("https://cdn.example.org/x/lazy.jpg"));
    }
}
