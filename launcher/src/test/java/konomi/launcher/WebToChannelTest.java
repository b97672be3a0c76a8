package konomi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * The daily workflow through the real {@code konomi} script, against a web server and a Slack webhook receiver on
 * 127.0.0.1: {@code score:run --new-only --sink slack --min-score 0 --out DIR FEED} posts each image with a face
 * once, posts nothing when run again, and a webhook answering 500 once still gets every post.
 */
class WebToChannelTest {
    static final Path PLAIN = DetectionTest.PLAIN;
    static final List<String> PICTURES = List.of("grapeot_112032.jpg", "jonathonyan_detect_04.jpg", "xavierjiezou_1.jpg", "jonathonyan_sample1.jpg");
    static final Path NONFACE = TestShell.SHARED.resolve("data/anime_face_patches64/nonface/neg_1000_jpg.jpg");

    @TempDir
    static Path home;
    static HttpServer server;
    static String base;
    static final List<String> posts = Collections.synchronizedList(new ArrayList<>()), dailyPosts = Collections.synchronizedList(new ArrayList<>());
    static final AtomicInteger failuresToGive = new AtomicInteger(1), hookCalls = new AtomicInteger();

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            String path = x.getRequestURI().getPath();
            byte[] body;
            String type;
            int status = 200;
            if (path.equals("/feed.xml") || path.equals("/feed2.xml")) {
                body = feed(path.equals("/feed2.xml")).getBytes(StandardCharsets.UTF_8);
                type = "application/rss+xml";
            } else if (path.startsWith("/img/")) {
                String name = path.substring(5);
                Path f = name.equals("tile.jpg") ? NONFACE : PLAIN.resolve(name.replace("copy-", ""));
                body = Files.exists(f) ? Files.readAllBytes(f) : "<html>not here</html>".getBytes(StandardCharsets.UTF_8);
                type = Files.exists(f) ? "image/jpeg" : "text/html";
                if (name.startsWith("copy-")) {
                    body = resized(f);
                }
            } else if (path.equals("/hook") || path.equals("/daily-hook")) {
                boolean main = path.equals("/hook");
                if (main) {
                    hookCalls.incrementAndGet();
                }
                String text = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (main && failuresToGive.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    status = 500;
                } else {
                    (main ? posts : dailyPosts).add(text);
                }
                body = (status == 200 ? "ok" : "internal_error").getBytes(StandardCharsets.UTF_8);
                type = "text/plain";
            } else {
                status = 404;
                body = "not found".getBytes(StandardCharsets.UTF_8);
                type = "text/plain";
            }
            x.getResponseHeaders().add("Content-Type", type);
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        Path etc = Files.createDirectories(home.resolve("etc"));
        Files.writeString(etc.resolve("konomi.sink.slack.cfg"), "webhookUrl=" + base + "/hook\nminIntervalMs=0\nbackoffMs=200\n");
        Files.writeString(etc.resolve("konomi.fetch.cfg"), "hostDelayMs=0\n");
    }

    /** A real JPEG at half size and quality 60: the same picture as a repost elsewhere would be. */
    static byte[] resized(Path f) throws IOException {
        java.awt.image.BufferedImage src = javax.imageio.ImageIO.read(f.toFile());
        java.awt.image.BufferedImage half = new java.awt.image.BufferedImage(src.getWidth() / 2, src.getHeight() / 2,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        half.createGraphics().drawImage(src, 0, 0, half.getWidth(), half.getHeight(), null);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageWriter w = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam p = w.getDefaultWriteParam();
        p.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.6f);
        try (var ios = javax.imageio.ImageIO.createImageOutputStream(out)) {
            w.setOutput(ios);
            w.write(null, new javax.imageio.IIOImage(half, null, null), p);
        }
        return out.toByteArray();
    }

    /** RSS 2.0: the pictures as enclosures, a face-less tile, a page that is no image; feed2 adds a repost and a new picture. */
    static String feed(boolean second) {
        StringBuilder items = new StringBuilder();
        List<String> names = new ArrayList<>(PICTURES);
        names.add("tile.jpg");
        names.add("missing.jpg");
        if (second) {
            names.add("copy-" + PICTURES.get(0));
            names.add("xavierjiezou_5.jpg");
        }
        for (String n : names) {
            items.append("<item><title>").append(n).append("</title><link>").append(base).append("/post/").append(n)
                    .append("</link><enclosure url=\"").append(base).append("/img/").append(n).append("\" type=\"image/jpeg\" length=\"1\"/></item>\n");
        }
        return "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>test</title><link>" + base + "</link><description>d</description>\n"
                + items + "</channel></rss>\n";
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** examples/daily.gosh as shipped, pointed at the local feed and a folder: the best faces posted and copied. */
    @Test
    void theDailyScriptPostsAndCopiesTheBest(@TempDir Path daily) throws Exception {
        Files.writeString(Files.createDirectories(daily.resolve("etc")).resolve("konomi.sink.slack.cfg"),
                "webhookUrl=" + base + "/daily-hook\nminIntervalMs=0\n");
        Files.writeString(daily.resolve("etc/konomi.fetch.cfg"), "hostDelayMs=0\n");
        Path best = daily.resolve("best");
        String script = Files.readString(TestShell.DIST.resolve("examples/daily.gosh"))
                .replace("https://example.org/illustrations/feed.xml", base + "/feed.xml").replace("\"best-faces\"", "\"" + best + "\"");
        Path gosh = Files.writeString(daily.resolve("daily.gosh"), script);
        LauncherTest.Run r = LauncherTest.konomiAt(daily, ProcessBuilder.Redirect.PIPE, "", "run", gosh.toString());
        System.out.println("[daily.gosh]\n" + r.out() + r.err());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).as("assignments are not echoed").startsWith("rank");
        List<String> copied;
        try (var files = Files.list(best)) {
            copied = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        // only faces scoring 3.5 or more: posted and copied alike
        assertThat(copied).isNotEmpty().doesNotContain("tile.jpg");
        assertThat(dailyPosts).hasSize(copied.size());
        assertThat(linked(dailyPosts)).containsExactlyInAnyOrderElementsOf(copied.stream().map(n -> base + "/img/" + n).toList());
        for (String post : dailyPosts) {
            assertThat(Double.parseDouble(post.replaceFirst("^\\{\"text\":\"\\*([0-9.]+)\\*.*$", "$1"))).isGreaterThanOrEqualTo(3.5);
        }
        for (String n : copied) {
            assertThat(Files.readAllBytes(best.resolve(n))).isEqualTo(Files.readAllBytes(PLAIN.resolve(n)));
        }
        assertThat(r.out()).contains("slack: " + copied.size() + " posted", "folder: " + copied.size() + " copied", "images ");
    }

    static LauncherTest.Run konomi(String... args) throws Exception {
        return LauncherTest.konomiAt(home, ProcessBuilder.Redirect.PIPE, "", args);
    }

    /** The image URLs a post links to. */
    static Set<String> linked(List<String> bodies) {
        Pattern link = Pattern.compile("<(http://[^|>]+)\\|");
        return bodies.stream().map(b -> {
            Matcher m = link.matcher(b);
            return m.find() ? m.group(1) : b;
        }).collect(Collectors.toSet());
    }

    @Test
    void eachImageWithAFaceIsPostedOnceAndNothingTwice() throws Exception {
        Path out = home.resolve("out");
        LauncherTest.Run first = konomi("score:run", "--new-only", "--sink", "slack", "--min-score", "0", "--no-format", "--out", out.toString(),
                base + "/feed.xml");
        System.out.println("[web to slack, first run]\n" + first.out() + first.err());
        assertThat(first.status()).as(first.err()).isZero();
        // the table: rank, file, score, faces, label; the face-less tile has no score
        List<String> withFaces = first.out().lines().map(l -> l.split("\t")).filter(c -> c.length >= 4 && c[3].matches("[1-9][0-9]*"))
                .map(c -> c[1]).toList();
        assertThat(withFaces).hasSizeGreaterThanOrEqualTo(3).allMatch(id -> id.startsWith(base + "/img/"));
        assertThat(first.out()).contains("slack: " + withFaces.size() + " posted");
        assertThat(first.err()).contains("missing.jpg").doesNotContain("/hook");
        assertThat(posts).hasSize(withFaces.size());
        assertThat(linked(posts)).containsExactlyInAnyOrderElementsOf(withFaces);
        // the first post met a 500 and was retried
        assertThat(hookCalls.get()).isEqualTo(withFaces.size() + 1);

        LauncherTest.Run again = konomi("score:run", "--new-only", "--sink", "slack", "--min-score", "0", "--out", out.toString(), base + "/feed.xml");
        System.out.println("[web to slack, second run]\n" + again.out() + again.err());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).contains("slack: 0 posted", "seen before, skipped");
        assertThat(posts).hasSize(withFaces.size());

        // a resized, recompressed repost under a new URL is not posted; a new picture is
        LauncherTest.Run third = konomi("score:run", "--new-only", "--sink", "slack", "--min-score", "0", "--out", out.toString(), base + "/feed2.xml");
        System.out.println("[web to slack, a repost and a new picture]\n" + third.out() + third.err());
        assertThat(third.status()).as(third.err()).isZero();
        assertThat(posts).hasSize(withFaces.size() + 1);
        assertThat(posts.get(posts.size() - 1)).contains("xavierjiezou_5.jpg");
        assertThat(out).doesNotExist();

        // the webhook URL is a secret: in no output, no log line
        for (LauncherTest.Run r : List.of(first, again, third)) {
            assertThat(r.out() + r.err()).doesNotContain("/hook");
        }
        try (var logs = Files.list(home.resolve("log"))) {
            for (Path log : logs.toList()) {
                assertThat(Files.readString(log)).as(log.toString()).doesNotContain("/hook");
            }
        }

        LauncherTest.Run list = konomi("catalog:list", "--top", "50");
        System.out.println("[catalog:list]\n" + list.out());
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains("copy-" + PICTURES.get(0), "slack");
    }
}
