package konomi.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import konomi.api.KonomiException;
import konomi.api.fetch.FetchRequest;
import konomi.api.fetch.Fetched;

class HttpFetcherTest {
    static final byte[] JPEG = read(LocalServer.PICTURES.resolve("grapeot_112032.jpg"));

    final LocalServer server = newServer();

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static LocalServer newServer() {
        try {
            return new LocalServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Test settings: no host delay, short timeouts and back-off unless a test says otherwise. */
    static Settings settings(long hostDelayMs, long requestTimeoutMs, int retries) {
        return Settings.of("test", "0.1.0", "", hostDelayMs, 2000, requestTimeoutMs, retries, 50, 20L << 20);
    }

    static HttpFetcher fetcher(Path keep) {
        return new HttpFetcher(settings(0, 5000, 3), keep);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void fetchesARealPictureNamingKonomiInTheUserAgent() {
        server.serve("/a.jpg", "image/jpeg", JPEG);
        Fetched f = fetcher(null).get(server.uri("/a.jpg"), FetchRequest.image());
        assertThat(f.body()).isEqualTo(JPEG);
        assertThat(f.contentType()).isEqualTo("image/jpeg");
        assertThat(f.notModified()).isFalse();
        assertThat(server.log.get(server.log.size() - 1).userAgent()).isEqualTo("Konomi/0.1.0 (+https://github.com/konomi/konomi)");
    }

    @Test
    void aPathRobotsTxtDisallowsIsNeverRequested() {
        server.serve("/robots.txt", "text/plain", """
                User-agent: *
                Disallow: /private/

                User-agent: konomi
                Disallow: /private/
                Disallow: /no-konomi/
                """.getBytes(StandardCharsets.UTF_8));
        server.serve("/private/a.jpg", "image/jpeg", JPEG).serve("/no-konomi/a.jpg", "image/jpeg", JPEG).serve("/a.jpg", "image/jpeg", JPEG);
        HttpFetcher f = fetcher(null);
        assertThatThrownBy(() -> f.get(server.uri("/private/a.jpg"), FetchRequest.image())).isInstanceOf(KonomiException.class)
                .hasMessage(server.uri("/private/a.jpg") + ": robots.txt disallows it for konomi");
        assertThatThrownBy(() -> f.get(server.uri("/no-konomi/a.jpg"), FetchRequest.image()))
                .hasMessageEndingWith(": robots.txt disallows it for konomi");
        assertThat(f.get(server.uri("/a.jpg"), FetchRequest.image()).body()).isEqualTo(JPEG);
        // robots.txt read once for the host; the disallowed paths never asked for
        assertThat(server.paths()).containsExactly("/robots.txt", "/a.jpg");
    }

    @Test
    void aRobotsTxtServerErrorRefusesTheRequestAndIsAskedAgainNextTime() {
        AtomicInteger robots = new AtomicInteger();
        server.route("/robots.txt", x -> {
            if (robots.incrementAndGet() == 1) {
                LocalServer.send(x, 503, "text/plain", "down".getBytes(StandardCharsets.UTF_8));
            } else {
                x.sendResponseHeaders(404, -1);
            }
        });
        server.serve("/a.jpg", "image/jpeg", JPEG);
        HttpFetcher f = fetcher(null);
        assertThatThrownBy(() -> f.get(server.uri("/a.jpg"), FetchRequest.image()))
                .hasMessage(server.uri("/a.jpg") + ": robots.txt is unavailable (HTTP 503)");
        assertThat(f.get(server.uri("/a.jpg"), FetchRequest.image()).body()).isEqualTo(JPEG);
        assertThat(server.paths()).containsExactly("/robots.txt", "/robots.txt", "/a.jpg");
    }

    @Test
    void redirectsAreFollowedHopByHopAndCheckedAgainstRobotsTxt() {
        server.serve("/robots.txt", "text/plain", "User-agent: *\nDisallow: /private/\n".getBytes(StandardCharsets.UTF_8));
        server.serve("/new/a.jpg", "image/jpeg", JPEG).serve("/private/a.jpg", "image/jpeg", JPEG);
        server.route("/old/a.jpg", x -> {
            x.getResponseHeaders().set("Location", "/new/a.jpg");
            x.sendResponseHeaders(301, -1);
        });
        server.route("/sneaky.jpg", x -> {
            x.getResponseHeaders().set("Location", "private/a.jpg");
            x.sendResponseHeaders(302, -1);
        });
        server.route("/loop.jpg", x -> {
            x.getResponseHeaders().set("Location", "/loop.jpg");
            x.sendResponseHeaders(307, -1);
        });
        HttpFetcher f = fetcher(null);
        Fetched moved = f.get(server.uri("/old/a.jpg"), FetchRequest.image());
        assertThat(moved.body()).isEqualTo(JPEG);
        assertThat(moved.uri()).isEqualTo(server.uri("/new/a.jpg"));
        assertThatThrownBy(() -> f.get(server.uri("/sneaky.jpg"), FetchRequest.image()))
                .hasMessage(server.uri("/sneaky.jpg") + ": redirected to " + server.uri("/private/a.jpg") + ", which robots.txt disallows for konomi");
        assertThatThrownBy(() -> f.get(server.uri("/loop.jpg"), FetchRequest.image()))
                .hasMessage(server.uri("/loop.jpg") + ": more than 5 redirects");
        assertThat(server.paths()).doesNotContain("/private/a.jpg");
    }

    @Test
    void requestsToOneHostStartTheConfiguredDelayApart() {
        server.serve("/a.jpg", "image/jpeg", JPEG);
        HttpFetcher f = new HttpFetcher(settings(300, 5000, 0), null);
        for (int i = 0; i < 3; i++) {
            f.get(server.uri("/a.jpg"), FetchRequest.image());
        }
        List<LocalServer.Request> log = server.log;
        assertThat(log).hasSize(4); // robots.txt and three pictures
        for (int i = 1; i < log.size(); i++) {
            assertThat((log.get(i).nanos() - log.get(i - 1).nanos()) / 1e6).as("gap before request %d", i).isGreaterThan(250);
        }
    }

    @Test
    void aSlowServerTimesOutWithOneLineAfterTheRetries() {
        server.route("/slow.jpg", x -> sleep(5000));
        // headers, then a stalled body: the deadline covers the whole exchange
        server.route("/stall.jpg", x -> {
            x.getResponseHeaders().set("Content-Type", "image/jpeg");
            x.sendResponseHeaders(200, JPEG.length);
            x.getResponseBody().write(JPEG, 0, 100);
            x.getResponseBody().flush();
            sleep(5000);
        });
        HttpFetcher f = new HttpFetcher(settings(0, 300, 1), null);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> f.get(server.uri("/slow.jpg"), FetchRequest.image()))
                .hasMessage(server.uri("/slow.jpg") + ": timed out after 2 tries (300 ms each)");
        assertThatThrownBy(() -> f.get(server.uri("/stall.jpg"), FetchRequest.image()))
                .hasMessage(server.uri("/stall.jpg") + ": timed out after 2 tries (300 ms each)");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(4);
    }

    @Test
    void anOversizedFileIsRefusedWithoutReadingItToTheEnd() {
        long total = 30L << 20;
        AtomicLong written = new AtomicLong();
        server.route("/declared.jpg", x -> {
            x.getResponseHeaders().set("Content-Type", "image/jpeg");
            x.sendResponseHeaders(200, total);
            stream(x.getResponseBody(), total, written);
        });
        AtomicLong chunked = new AtomicLong();
        server.route("/chunked.jpg", x -> {
            x.getResponseHeaders().set("Content-Type", "image/jpeg");
            x.sendResponseHeaders(200, 0);
            stream(x.getResponseBody(), total, chunked);
        });
        HttpFetcher f = fetcher(null);
        assertThatThrownBy(() -> f.get(server.uri("/declared.jpg"), FetchRequest.image()))
                .hasMessage(server.uri("/declared.jpg") + ": larger than 20 MB (30 MB)");
        assertThatThrownBy(() -> f.get(server.uri("/chunked.jpg"), new FetchRequest(FetchRequest.Kind.IMAGE, 1 << 20, false)))
                .hasMessage(server.uri("/chunked.jpg") + ": larger than 1 MB");
        server.close(); // ends the handlers still writing
        assertThat(written.get()).isLessThan(total);
        assertThat(chunked.get()).isLessThan(total);
    }

    @Test
    void aNonImageIsRefusedInOneLine() {
        byte[] html = "<html><body>nothing here</body></html>".getBytes(StandardCharsets.UTF_8);
        server.serve("/page.jpg", "text/html; charset=utf-8", html).serve("/liar.jpg", "image/jpeg", html);
        HttpFetcher f = fetcher(null);
        assertThatThrownBy(() -> f.get(server.uri("/page.jpg"), FetchRequest.image()))
                .hasMessage(server.uri("/page.jpg") + ": not an image (text/html)");
        assertThatThrownBy(() -> f.get(server.uri("/liar.jpg"), FetchRequest.image()))
                .hasMessage(server.uri("/liar.jpg") + ": not an image (image/jpeg, and the content has no JPEG, PNG, GIF, BMP or WebP header)");
        assertThatThrownBy(() -> f.get(server.uri("/missing.jpg"), FetchRequest.image()))
                .hasMessage(server.uri("/missing.jpg") + ": HTTP 404");
        server.serve("/pic", "image/jpeg", JPEG);
        assertThatThrownBy(() -> f.get(server.uri("/pic"), FetchRequest.document()))
                .hasMessage(server.uri("/pic") + ": not a page or feed (image/jpeg)");
    }

    @Test
    void a503IsRetriedAndA429WaitsForItsRetryAfter() {
        AtomicInteger calls = new AtomicInteger();
        server.route("/busy.jpg", x -> {
            if (calls.incrementAndGet() == 1) {
                LocalServer.send(x, 503, "text/plain", "busy".getBytes(StandardCharsets.UTF_8));
            } else {
                LocalServer.send(x, 200, "image/jpeg", JPEG);
            }
        });
        AtomicInteger limited = new AtomicInteger();
        server.route("/limited.jpg", x -> {
            if (limited.incrementAndGet() == 1) {
                x.getResponseHeaders().set("Retry-After", "1");
                LocalServer.send(x, 429, "text/plain", "slow down".getBytes(StandardCharsets.UTF_8));
            } else {
                LocalServer.send(x, 200, "image/jpeg", JPEG);
            }
        });
        server.route("/down.jpg", x -> LocalServer.send(x, 503, "text/plain", "down".getBytes(StandardCharsets.UTF_8)));
        HttpFetcher f = fetcher(null);
        assertThat(f.get(server.uri("/busy.jpg"), FetchRequest.image()).body()).isEqualTo(JPEG);
        assertThat(f.get(server.uri("/limited.jpg"), FetchRequest.image()).body()).isEqualTo(JPEG);
        List<LocalServer.Request> tries = server.log.stream().filter(r -> r.path().equals("/limited.jpg")).toList();
        assertThat((tries.get(1).nanos() - tries.get(0).nanos()) / 1e6).isGreaterThan(900);
        assertThat(server.paths()).containsExactly("/robots.txt", "/busy.jpg", "/busy.jpg", "/limited.jpg", "/limited.jpg");
        assertThatThrownBy(() -> f.get(server.uri("/down.jpg"), FetchRequest.image()))
                .hasMessage(server.uri("/down.jpg") + ": HTTP 503 after 4 tries");
    }

    @Test
    void anUnchangedDocumentIsAskedForConditionallyAndTheKeptCopyReturned(@TempDir Path keep) {
        byte[] feed = "<rss version=\"2.0\"><channel><title>t</title></channel></rss>".getBytes(StandardCharsets.UTF_8);
        AtomicInteger full = new AtomicInteger();
        server.route("/feed.xml", x -> {
            x.getResponseHeaders().set("ETag", "\"v1\"");
            if ("\"v1\"".equals(x.getRequestHeaders().getFirst("If-None-Match"))) {
                x.sendResponseHeaders(304, -1);
            } else {
                full.incrementAndGet();
                LocalServer.send(x, 200, "application/rss+xml; charset=UTF-8", feed);
            }
        });
        Fetched first = fetcher(keep).get(server.uri("/feed.xml"), FetchRequest.document());
        assertThat(first.notModified()).isFalse();
        assertThat(first.charset()).isEqualTo("UTF-8");
        // a new fetcher (a new run) on the same home: the copy was kept on disk
        Fetched second = fetcher(keep).get(server.uri("/feed.xml"), FetchRequest.document());
        assertThat(second.notModified()).isTrue();
        assertThat(second.body()).isEqualTo(feed);
        assertThat(second.contentType()).isEqualTo("application/rss+xml");
        assertThat(full.get()).isEqualTo(1);
        List<LocalServer.Request> asked = server.log.stream().filter(r -> r.path().equals("/feed.xml")).toList();
        assertThat(asked).extracting(LocalServer.Request::ifNoneMatch).containsExactly(null, "\"v1\"");
        // images are never kept
        server.serve("/a.jpg", "image/jpeg", JPEG);
        fetcher(keep).get(server.uri("/a.jpg"), FetchRequest.image());
        assertThat(keep.toFile().list()).hasSize(1);
    }

    @Test
    void badSettingsAndLocationsAreOneLineErrors() {
        assertThatThrownBy(() -> Settings.of("etc/konomi.fetch.cfg", "0.1.0", "", -1, 1, 1, 0, 0, 1))
                .hasMessage("etc/konomi.fetch.cfg: hostDelayMs must not be negative, not -1");
        assertThatThrownBy(() -> fetcher(null).get(java.net.URI.create("ftp://example.org/a.jpg"), FetchRequest.image()))
                .hasMessage("ftp://example.org/a.jpg: not an http(s) URL");
        assertThat(Settings.of("x", "1.2.3", "MyBot/2 (+me)", 0, 1, 1, 0, 0, 1).robotName()).isEqualTo("mybot");
        assertThat(HttpFetcher.retryAfter("120")).isEqualTo(120_000);
        assertThat(HttpFetcher.retryAfter("soon")).isEqualTo(-1);
    }

    private static void stream(OutputStream o, long total, AtomicLong written) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        System.arraycopy(JPEG, 0, chunk, 0, 16);
        while (written.get() < total) {
            o.write(chunk);
            written.addAndGet(chunk.length);
        }
        o.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
