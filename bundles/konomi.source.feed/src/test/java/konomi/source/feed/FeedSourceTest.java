package konomi.source.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import konomi.fetch.LocalServer;
import konomi.api.KonomiException;
import konomi.api.SourceItem;
import konomi.api.WrongSourceException;
import konomi.api.fetch.Fetcher;

/** RSS and Atom feeds from a real local server, through the real fetcher. */
class FeedSourceTest {
    static final Path PICS = LocalServer.PICTURES;
    final LocalServer server;
    final FeedSource source;

    FeedSourceTest() throws Exception {
        server = new LocalServer();
        for (String name : List.of("grapeot_112032.jpg", "grapeot_119032.jpg", "grapeot_164032.jpg", "grapeot_57032.jpg",
                "jonathonyan_detect_02.jpg", "jonathonyan_detect_03.jpg")) {
            server.serve("/img/" + name, "image/jpeg", Files.readAllBytes(PICS.resolve(name)));
        }
        String base = server.uri("").toString();
        server.serve("/rss.xml", "application/rss+xml; charset=utf-8", ("""
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
                  <channel><title>daily</title><link>BASE/</link><description>pictures</description>
                    <item><title>one</title><link>BASE/posts/1.html</link>
                      <enclosure url="BASE/img/grapeot_112032.jpg" type="image/jpeg" length="1"/>
                      <media:content url="BASE/img/grapeot_119032.jpg" medium="image"/>
                      <description>&lt;p&gt;and &lt;img src="../img/grapeot_164032.jpg"&gt;&lt;/p&gt;</description>
                    </item>
                    <item><title>two</title><link>BASE/posts/2.html</link>
                      <enclosure url="BASE/talk.mp3" type="audio/mpeg" length="1"/>
                      <media:thumbnail url="BASE/img/grapeot_57032.jpg"/>
                      <description>no picture here</description>
                    </item>
                    <item><title>three</title>
                      <media:content url="BASE/img/grapeot_112032.jpg" type="image/jpeg"><media:thumbnail url="BASE/img/small.jpg"/></media:content>
                    </item>
                  </channel>
                </rss>
                """).replace("BASE", base).getBytes(StandardCharsets.UTF_8));
        server.serve("/atom.xml", "application/atom+xml", ("""
                <?xml version="1.0" encoding="utf-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom">
                  <title>art</title><id>urn:x</id><updated>2026-12-01T00:00:00Z</updated>
                  <entry><title>a</title><id>urn:a</id><updated>2026-12-01T00:00:00Z</updated><link href="BASE/art/a.html"/>
                    <content type="html">&lt;img src="/img/jonathonyan_detect_02.jpg" srcset="/img/jonathonyan_detect_02.jpg 1x, /img/jonathonyan_detect_03.jpg 2x"&gt;</content>
                  </entry>
                  <entry><title>b</title><id>urn:b</id><updated>2026-12-01T00:00:00Z</updated><link href="BASE/art/b.html"/>
                    <summary type="html">&lt;a href="../img/grapeot_57032.jpg"&gt;big&lt;/a&gt;</summary>
                  </entry>
                </feed>
                """).replace("BASE", base).getBytes(StandardCharsets.UTF_8));
        server.serve("/broken.xml", "application/rss+xml", "<rss version=\"2.0\"><channel><item><title>cut".getBytes(StandardCharsets.UTF_8));
        server.serve("/page.html", "text/html", "<!doctype html><html><body><img src=x.jpg></body></html>".getBytes(StandardCharsets.UTF_8));
        source = new FeedSource(fetcher());
    }

    /** The real fetcher, without delay or disk copies (its constructor is package-private in konomi.fetch). */
    static Fetcher fetcher() throws Exception {
        return fetcher(null);
    }

    static Fetcher fetcher(Path keep) throws Exception {
        Class<?> settings = Class.forName("konomi.fetch.Settings");
        var of = settings.getDeclaredMethod("of", String.class, String.class, String.class, long.class, long.class, long.class, int.class,
                long.class, long.class);
        of.setAccessible(true);
        Object s = of.invoke(null, "test", "0.1.0", "", 0L, 2000L, 5000L, 1, 20L, 20L << 20);
        Constructor<?> c = Class.forName("konomi.fetch.HttpFetcher").getDeclaredConstructor(settings, Path.class);
        c.setAccessible(true);
        return (Fetcher) c.newInstance(s, keep);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    List<String> ids(String path) {
        return source.open(server.uri(path).toString()).map(SourceItem::id).toList();
    }

    String url(String path) {
        return server.uri(path).toString();
    }

    @Test
    void rssGivesEnclosuresMediaContentAndHtmlImagesInFeedOrder() throws Exception {
        List<SourceItem> items = source.open(url("/rss.xml")).toList();
        assertThat(items).extracting(SourceItem::id).containsExactly(
                url("/img/grapeot_112032.jpg"), // enclosure
                url("/img/grapeot_119032.jpg"), // media:content
                url("/img/grapeot_164032.jpg"), // <img> in the description, relative to the item's link
                url("/img/grapeot_57032.jpg")); // the only picture of item two: its thumbnail (the mp3 is no image)
        assertThat(items.get(2).read()).isEqualTo(Files.readAllBytes(PICS.resolve("grapeot_164032.jpg")));
    }

    @Test
    void atomGivesTheImagesInItsEntriesHtml() {
        assertThat(ids("/atom.xml")).containsExactly(url("/img/jonathonyan_detect_03.jpg"), url("/img/grapeot_57032.jpg"));
    }

    @Test
    void aMalformedFeedIsAOneLineErrorNamingIt() {
        assertThatThrownBy(() -> source.open(url("/broken.xml"))).isInstanceOf(KonomiException.class)
                .hasMessageStartingWith(url("/broken.xml") + ": not a valid feed (").hasMessageNotContaining("\n");
    }

    @Test
    void anHtmlPageIsHandedOnAsAnotherKind() {
        assertThat(source.accepts(url("/page.html"))).isTrue();
        assertThat(source.accepts("pics/feed.xml")).isFalse();
        assertThatThrownBy(() -> source.open(url("/page.html"))).isInstanceOf(WrongSourceException.class)
                .hasMessage(url("/page.html") + ": not a feed (text/html)");
    }

    @Test
    void anUnchangedFeedCostsA304AndGivesTheSameImages(@org.junit.jupiter.api.io.TempDir Path keep) throws Exception {
        byte[] rss = ("<rss version=\"2.0\"><channel><title>t</title><link>" + url("/") + "</link><description>d</description>"
                + "<item><title>1</title><enclosure url=\"" + url("/img/grapeot_112032.jpg") + "\" type=\"image/jpeg\" length=\"1\"/></item>"
                + "</channel></rss>").getBytes(StandardCharsets.UTF_8);
        server.route("/cached.xml", x -> {
            x.getResponseHeaders().set("Last-Modified", "Tue, 01 Dec 2026 06:00:00 GMT");
            if ("Tue, 01 Dec 2026 06:00:00 GMT".equals(x.getRequestHeaders().getFirst("If-Modified-Since"))) {
                x.sendResponseHeaders(304, -1);
            } else {
                LocalServer.send(x, 200, "application/rss+xml", rss);
            }
        });
        List<String> first = new FeedSource(fetcher(keep)).open(url("/cached.xml")).map(SourceItem::id).toList();
        List<String> second = new FeedSource(fetcher(keep)).open(url("/cached.xml")).map(SourceItem::id).toList();
        assertThat(second).isEqualTo(first).containsExactly(url("/img/grapeot_112032.jpg"));
        assertThat(server.paths()).containsExactly("/robots.txt", "/cached.xml", "/robots.txt", "/cached.xml");
    }
}
