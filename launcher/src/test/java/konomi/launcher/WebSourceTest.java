package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * score:run on web locations inside the real framework: a local RSS feed (Rome embedded in its bundle), an HTML page
 * (handed from the feed source to the page source) and a .urls list; a bad image is one error line, the run goes on.
 */
class WebSourceTest extends FrameworkTest {
    static HttpServer server;
    static final List<String> requests = new CopyOnWriteArrayList<>();
    static String base;

    @BeforeAll
    static void serve() throws Exception {
        // polite but quick: read when FileInstall delivers it (a slower run until then, same results)
        Files.writeString(home.resolve("etc/konomi.fetch.cfg"), "hostDelayMs=50\nrequestTimeoutMs=10000\nretries=1\n");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/", x -> {
            try (x) {
                String path = x.getRequestURI().getPath();
                requests.add(path);
                if (path.startsWith("/img/")) {
                    send(x, "image/jpeg", Files.readAllBytes(DetectionTest.PLAIN.resolve(path.substring(5))));
                } else if (path.equals("/bad.jpg")) {
                    send(x, "text/html", "<html>moved</html>".getBytes(StandardCharsets.UTF_8));
                } else if (path.equals("/feed.xml")) {
                    send(x, "application/rss+xml", ("<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\">"
                            + "<channel><title>t</title><link>" + base + "/</link><description>d</description>"
                            + "<item><title>1</title><enclosure url=\"" + base + "/img/jonathonyan_detect_03.jpg\" type=\"image/jpeg\" length=\"1\"/></item>"
                            + "<item><title>2</title><enclosure url=\"" + base + "/bad.jpg\" type=\"image/jpeg\" length=\"1\"/></item>"
                            + "<item><title>3</title><media:content url=\"" + base + "/img/jonathonyan_detect_04.jpg\" medium=\"image\"/></item>"
                            + "</channel></rss>").getBytes(StandardCharsets.UTF_8));
                } else if (path.equals("/page.html")) {
                    send(x, "text/html", "<html><body><img src=\"img/jonathonyan_detect_03.jpg\"><a href=\"/bad.jpg\">x</a></body></html>"
                            .getBytes(StandardCharsets.UTF_8));
                } else {
                    x.sendResponseHeaders(404, -1);
                }
            } catch (IOException e) {
                // the client hung up
            }
        });
        server.start();
    }

    static void send(HttpExchange x, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(200, body.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(body);
        }
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void aFeedIsScoredEndToEndAndABadImageIsOneErrorLine(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("feed");
        TestShell.Result r = shell.run("score:run --out " + out + " " + base + "/feed.xml");
        assertThat(r.status()).as(r.message() + r.err()).isZero();
        assertThat(r.err()).contains("error " + base + "/bad.jpg: not an image (text/html)");
        assertThat(r.out()).contains("2 images", "1 errors");
        String json = Files.readString(out.resolve("results.json"));
        assertThat(json).contains(base + "/img/jonathonyan_detect_03.jpg", base + "/img/jonathonyan_detect_04.jpg");
        assertThat(requests).contains("/robots.txt", "/feed.xml", "/img/jonathonyan_detect_03.jpg", "/bad.jpg", "/img/jonathonyan_detect_04.jpg");
    }

    @Test
    void aPageIsHandedFromTheFeedSourceToThePageSourceAndAUrlListIsNotTakenForAFolder(@TempDir Path tmp) throws Exception {
        TestShell.Result r = shell.run("score:run --sink none " + base + "/page.html");
        assertThat(r.status()).as(r.message() + r.err()).isZero();
        assertThat(r.out()).contains("1 images", "1 errors");
        assertThat(r.err()).contains("error " + base + "/bad.jpg: not an image (text/html)");

        Path list = Files.writeString(tmp.resolve("today.urls"), "# today\n" + base + "/img/jonathonyan_detect_04.jpg\n" + base + "/gone.html\n");
        r = shell.run("score:run --sink none " + list);
        assertThat(r.status()).as(r.message() + r.err()).isZero();
        assertThat(r.out()).contains("1 images", "1 errors");
        assertThat(r.err()).contains("error " + base + "/gone.html: HTTP 404");
    }
}
