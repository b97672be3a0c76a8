package konomi.sink.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.KonomiException;
import konomi.api.Score;
import konomi.api.sink.FaceResult;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ModelRef;
import konomi.api.sink.ResultSink;
import konomi.api.sink.RunInfo;
import konomi.api.sink.RunSummary;

/** The Slack sink against a real HTTP webhook receiver on 127.0.0.1. */
class SlackSinkTest {
    HttpServer server;
    final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    final List<Long> times = Collections.synchronizedList(new ArrayList<>());
    /** Statuses to answer, in order; 200 when empty. */
    final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    final Map<String, String> extraHeaders = new HashMap<>();
    final MemoryCatalog catalog = new MemoryCatalog();
    final RunInfo run = new RunInfo("http://example.test/feed.xml", null, false, false, new ModelRef("animeface", "1.0.0", "cascade", ""),
            List.of(new ModelRef("preference", "1.2.0", "regression", "")), 0.25, 20, Instant.now());

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook/T000/SECRET", x -> {
            times.add(System.nanoTime());
            Integer status = answers.poll();
            int code = status == null ? 200 : status;
            if (code == 200) {
                bodies.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            }
            extraHeaders.forEach((k, v) -> x.getResponseHeaders().add(k, v));
            byte[] b = (code == 200 ? "ok" : "oops").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(code, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String hook() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook/T000/SECRET";
    }

    /** Settings as a .cfg file gives them: strings. */
    static SlackConfig config(Map<String, Object> values) {
        java.util.Hashtable<String, Object> d = new java.util.Hashtable<>();
        values.forEach((k, v) -> d.put(k, v.toString()));
        return SlackSettings.of(d);
    }

    SlackSink sink(Map<String, Object> more) {
        Map<String, Object> v = new HashMap<>(Map.of("webhookUrl", hook(), "minIntervalMs", 0L, "backoffMs", 20L, "retries", 3));
        v.putAll(more);
        return new SlackSink(catalog, () -> config(v), SlackSink.cfgFile(null));
    }

    static ImageResult image(String name, Double score, int faces) {
        List<FaceResult> f = new ArrayList<>();
        for (int i = 0; i < faces; i++) {
            f.add(new FaceResult(new Face(new Box(0, 0, 10, 10), 0.9), List.of(new Score("preference", score == null ? 0 : score, "aqua", Map.of()))));
        }
        return new ImageResult(name, URI.create("http://example.test/img/" + name), 100, 80, f, faces == 0 ? null : score, "aqua", null);
    }

    String runWith(SlackSink sink, ImageResult... results) {
        try (ResultSink.Session s = sink.open(run)) {
            for (ImageResult r : results) {
                s.accept(r, null, new byte[0]);
            }
            s.complete(new RunSummary(results.length, 0, 0, 1));
            return s.note();
        }
    }

    @Test
    void postsEachImageWithAFaceOnceAndNothingOnTheNextRun() {
        SlackSink sink = sink(Map.of());
        String note = runWith(sink, image("a.jpg", 4.25, 1), image("b.png", 3.5, 2), image("none.jpg", null, 0),
                ImageResult.failed("bad.jpg", URI.create("http://example.test/bad.jpg"), "not an image"));
        assertThat(note).isEqualTo("slack: 2 posted");
        assertThat(bodies).containsExactly("{\"text\":\"*4.25* aqua <http://example.test/img/a.jpg|a.jpg>\"}",
                "{\"text\":\"*3.50* aqua <http://example.test/img/b.png|b.png>\"}");

        assertThat(runWith(sink, image("a.jpg", 4.25, 1), image("b.png", 3.5, 2))).isEqualTo("slack: 0 posted, 2 sent before, skipped");
        assertThat(bodies).hasSize(2);
    }

    @Test
    void aServerErrorIsRetriedAndThePostArrives() {
        answers.add(500);
        assertThat(runWith(sink(Map.of()), image("a.jpg", 4.0, 1))).isEqualTo("slack: 1 posted");
        assertThat(bodies).hasSize(1);
        assertThat(times).hasSize(2);
        assertThat(catalog.pending).isEmpty();
    }

    @Test
    void retryAfterIsHonoured() {
        answers.add(429);
        extraHeaders.put("Retry-After", "1");
        assertThat(runWith(sink(Map.of()), image("a.jpg", 4.0, 1))).isEqualTo("slack: 1 posted");
        assertThat((times.get(1) - times.get(0)) / 1e6).isGreaterThan(900);
    }

    @Test
    void aPostThatStillFailsIsKeptAndSentFirstByTheNextRun() {
        for (int i = 0; i < 3; i++) {
            answers.add(503);
        }
        String note = runWith(sink(Map.of("retries", 2)), image("a.jpg", 4.0, 1));
        assertThat(note).isEqualTo("slack: 0 posted, 1 failed and kept for the next run (last: HTTP 503 (oops))");
        assertThat(catalog.pending).hasSize(1);
        assertThat(bodies).isEmpty();

        // a 4xx is not retried: kept again at once, with one more attempt counted
        answers.add(404);
        assertThat(runWith(sink(Map.of()))).contains("1 failed and kept", "HTTP 404");
        assertThat(catalog.pending).singleElement().extracting(p -> p.attempts()).isEqualTo(2);

        assertThat(runWith(sink(Map.of()), image("a.jpg", 4.0, 1), image("c.jpg", 2.0, 1)))
                .isEqualTo("slack: 1 posted, 1 kept from earlier runs sent, 1 sent before, skipped");
        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(0)).contains("a.jpg");
        assertThat(catalog.pending).isEmpty();
    }

    @Test
    void postsAreSpacedByTheRateLimit() {
        runWith(sink(Map.of("minIntervalMs", 300L)), image("a.jpg", 4.0, 1), image("b.jpg", 4.0, 1), image("c.jpg", 4.0, 1));
        assertThat(times).hasSize(3);
        assertThat((times.get(2) - times.get(0)) / 1e6).isGreaterThan(500);
    }

    @Test
    void theTemplateIsTheUsers() {
        runWith(sink(Map.of("template", "${name} scored ${score} by ${scorer} (${faces} faces) from ${source} ${nothing}")), image("a.jpg", 4.0, 2));
        assertThat(bodies).containsExactly("{\"text\":\"a.jpg scored 4.00 by preference (2 faces) from http://example.test/feed.xml ${nothing}\"}");
    }

    @Test
    void aMissingOrBadWebhookIsOneLineThatNeverShowsIt() {
        assertThatThrownBy(() -> sink(Map.of("webhookUrl", "")).open(run)).isInstanceOf(KonomiException.class)
                .hasMessage("etc/konomi.sink.slack.cfg: no webhookUrl set (the Slack incoming webhook to post to)");
        assertThatThrownBy(() -> sink(Map.of("webhookUrl", "htps//hooks.example/SECRET")).open(run))
                .hasMessage("etc/konomi.sink.slack.cfg: webhookUrl is not an http(s) URL");
        // nobody listens there: the failure is kept, and its line does not carry the URL
        server.stop(0);
        String note = runWith(sink(Map.of("retries", 0)), image("a.jpg", 4.0, 1));
        assertThat(note).contains("failed and kept").doesNotContain("SECRET");
        assertThat(catalog.pending.get(0).error()).doesNotContain("SECRET");
    }
}
