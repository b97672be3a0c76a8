package konomi.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import konomi.api.Box;
import konomi.api.Face;
import konomi.api.KonomiException;
import konomi.api.Score;
import konomi.api.catalog.CatalogEntry;
import konomi.api.catalog.CatalogQuery;
import konomi.api.catalog.CatalogStats;
import konomi.api.catalog.Pending;
import konomi.api.catalog.Sighting;
import konomi.api.sink.FaceResult;
import konomi.api.sink.ModelRef;

/**
 * What every catalog database must do; {@link H2CatalogTest} and {@link PostgresCatalogTest} run the same body,
 * each on a fresh, empty database per test.
 */
abstract class CatalogContract {
    static final ModelRef PREFERENCE = new ModelRef("preference", "1.2.0", "regression", "konomi.model.preference");
    static final ModelRef CHARACTER = new ModelRef("character", "1.0.0", "classification", "konomi.model.character");
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final long HASH = 0x5A3C_96F0_0F69_C3A5L;

    Settings settings;
    JdbcCatalog catalog;

    /** Settings of a new, empty database. */
    abstract Settings freshDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        settings = freshDatabase();
        catalog = JdbcCatalog.open(settings, getClass().getClassLoader());
    }

    @AfterEach
    void close() {
        if (catalog != null) {
            catalog.close();
        }
    }

    static URI loc(String name) {
        return URI.create("https://example.org/pics/" + name);
    }

    /** A sighting with one face per (preference, character label) pair. */
    static Sighting sighting(String name, long phash, Instant seen, Object... faces) {
        List<FaceResult> fr = new ArrayList<>();
        for (int i = 0; i < faces.length; i += 2) {
            double pref = (Double) faces[i];
            String label = (String) faces[i + 1];
            fr.add(new FaceResult(new Face(new Box(10 * i, 10, 10 * i + 50, 60), 0.9 - i * 0.01),
                    List.of(new Score("preference", pref, null, Map.of()), new Score("character", 0.8, label, Map.of(label, 0.8, "other", 0.2)))));
        }
        return new Sighting("https://example.org/feed.xml", loc(name), name, phash, 800, 600, 12345, fr, List.of(PREFERENCE, CHARACTER),
                new ModelRef("centre", "1.0.0", "cnn", "konomi.model.centre"), seen);
    }

    static long flip(long hash, int bits) {
        long h = hash;
        for (int i = 0; i < bits; i++) {
            h ^= 1L << (i * 7 % 64);
        }
        return h;
    }

    @Test
    void recordsAnImageAndFindsItByLocationAndByANearHash() {
        long id = catalog.record(sighting("a.jpg", HASH, T0, 3.2, "mori", 4.1, "ina"));
        assertThat(catalog.seen(loc("a.jpg"))).isTrue();
        assertThat(catalog.seen(loc("b.jpg"))).isFalse();

        CatalogEntry e = catalog.duplicateOf(flip(HASH, 3)).orElseThrow();
        assertThat(e.id()).isEqualTo(id);
        assertThat(e.location()).isEqualTo(loc("a.jpg"));
        assertThat(e.source()).isEqualTo("https://example.org/feed.xml");
        assertThat(e.faces()).isEqualTo(2);
        assertThat(e.width()).isEqualTo(800);
        assertThat(e.score()).isEqualTo(4.1);
        assertThat(e.scorer()).isEqualTo("preference 1.2.0");
        assertThat(e.label()).as("the character of the best face").isEqualTo("ina");
        assertThat(e.firstSeen()).isEqualTo(T0);
        assertThat(catalog.duplicateOf(flip(HASH, settings.distance()))).as("at the distance").isPresent();
        assertThat(catalog.duplicateOf(flip(HASH, settings.distance() + 1))).as("one bit beyond").isEmpty();
        assertThat(catalog.duplicateOf(~HASH)).isEmpty();
    }

    @Test
    void theNearestOfSeveralCandidatesIsTheDuplicate() {
        catalog.record(sighting("far.jpg", flip(HASH, 6), T0));
        long near = catalog.record(sighting("near.jpg", flip(HASH, 1), T0));
        assertThat(catalog.duplicateOf(HASH).orElseThrow().id()).isEqualTo(near);
    }

    @Test
    void aSecondSightingUpdatesScoresAndTimesAndKeepsWhereItWasSent() {
        long id = catalog.record(sighting("a.jpg", HASH, T0, 3.0, "mori"));
        catalog.markSent(loc("a.jpg"), "slack", "ts=1");
        long again = catalog.record(sighting("a.jpg", HASH, T0.plus(Duration.ofDays(1)), 2.0, "ina", 1.0, "mori"));
        assertThat(again).isEqualTo(id);
        CatalogEntry e = catalog.list(new CatalogQuery(null, null, 10, false)).get(0);
        assertThat(e.id()).isEqualTo(id);
        assertThat(e.firstSeen()).isEqualTo(T0);
        assertThat(e.lastSeen()).isEqualTo(T0.plus(Duration.ofDays(1)));
        assertThat(e.score()).isEqualTo(2.0);
        assertThat(e.faces()).isEqualTo(2);
        assertThat(e.sentTo()).containsExactly("slack");
        assertThat(catalog.stats().images()).isEqualTo(1);
        assertThat(catalog.stats().faces()).isEqualTo(2);
    }

    @Test
    void anImageWithoutFacesOrScorersHasNoScore() {
        catalog.record(new Sighting("dir", loc("empty.jpg"), "empty.jpg", HASH, 10, 10, -1, List.of(), List.of(), null, T0));
        CatalogEntry e = catalog.duplicateOf(HASH).orElseThrow();
        assertThat(e.score()).isNull();
        assertThat(e.scorer()).isNull();
        assertThat(e.label()).isNull();
        assertThat(e.faces()).isZero();
    }

    @Test
    void aPictureCountsAsSentWhenARepostOfItWasSent() {
        catalog.record(sighting("a.jpg", HASH, T0, 3.0, "mori"));
        catalog.record(sighting("repost-of-a.jpg", flip(HASH, 4), T0, 3.0, "mori"));
        catalog.record(sighting("other.jpg", ~HASH, T0, 3.0, "mori"));
        assertThat(catalog.wasSent(loc("a.jpg"), "slack")).isFalse();

        catalog.markSent(loc("a.jpg"), "slack", "posted");
        assertThat(catalog.wasSent(loc("a.jpg"), "slack")).isTrue();
        assertThat(catalog.wasSent(loc("repost-of-a.jpg"), "slack")).as("a duplicate was sent").isTrue();
        assertThat(catalog.wasSent(loc("repost-of-a.jpg"), "folder")).as("another sink").isFalse();
        assertThat(catalog.wasSent(loc("other.jpg"), "slack")).as("a different picture").isFalse();
        assertThat(catalog.wasSent(loc("never.jpg"), "slack")).as("never recorded").isFalse();
        assertThatThrownBy(() -> catalog.markSent(loc("never.jpg"), "slack", "x")).isInstanceOf(KonomiException.class)
                .hasMessageContaining(settings.url()).hasMessageContaining("never.jpg").hasMessageContaining("never recorded");
    }

    @Test
    void pendingDeliveriesAreKeptReplacedListedAndDropped() {
        catalog.record(sighting("a.jpg", HASH, T0, 3.0, "mori"));
        catalog.keepPending(loc("a.jpg"), "slack", "{\"text\":\"a\"}", "HTTP 500\nServer Error");
        catalog.keepPending(loc("b.jpg"), "slack", "{\"text\":\"b\"}", "timeout");
        catalog.keepPending(loc("a.jpg"), "folder", "a.jpg", "disk full");
        catalog.keepPending(loc("a.jpg"), "slack", "{\"text\":\"a2\"}", "HTTP 429");

        List<Pending> slack = catalog.pending("slack");
        assertThat(slack).extracting(Pending::location).containsExactly(loc("a.jpg"), loc("b.jpg"));
        Pending a = slack.get(0);
        assertThat(a.payload()).isEqualTo("{\"text\":\"a2\"}");
        assertThat(a.error()).isEqualTo("HTTP 429");
        assertThat(a.attempts()).isEqualTo(2);
        assertThat(a.sink()).isEqualTo("slack");
        assertThat(slack.get(1).attempts()).isEqualTo(1);
        assertThat(catalog.pending("folder")).hasSize(1);
        assertThat(catalog.pending("nowhere")).isEmpty();
        assertThat(catalog.stats().pending()).isEqualTo(3);

        catalog.dropPending(a.id());
        assertThat(catalog.pending("slack")).extracting(Pending::location).containsExactly(loc("b.jpg"));
        catalog.dropPending(a.id()); // dropping again is harmless
    }

    @Test
    void listFiltersBySinceAndScoreAndCutsAtTop() {
        catalog.record(sighting("old.jpg", 1L, T0.minus(Duration.ofDays(30)), 4.9, "mori"));
        catalog.record(sighting("low.jpg", 0xFFL << 8, T0.plus(Duration.ofHours(1)), 1.5, "mori"));
        catalog.record(sighting("mid.jpg", 0xFFL << 16, T0.plus(Duration.ofHours(2)), 3.5, "ina"));
        catalog.record(sighting("high.jpg", 0xFFL << 24, T0.plus(Duration.ofHours(3)), 4.5, "mori", 2.0, "ina"));
        catalog.record(new Sighting("dir", loc("noface.jpg"), "noface.jpg", 0xFFL << 32, 10, 10, 5, List.of(), List.of(PREFERENCE), null,
                T0.plus(Duration.ofHours(4))));

        assertThat(names(catalog.list(new CatalogQuery(null, null, 20, false))))
                .containsExactly("noface.jpg", "high.jpg", "mid.jpg", "low.jpg", "old.jpg");
        assertThat(names(catalog.list(new CatalogQuery(T0, null, 20, false)))).as("since")
                .containsExactly("noface.jpg", "high.jpg", "mid.jpg", "low.jpg");
        assertThat(names(catalog.list(new CatalogQuery(T0, 3.5, 20, false)))).as("min score, newest first")
                .containsExactly("high.jpg", "mid.jpg");
        assertThat(names(catalog.list(new CatalogQuery(null, null, 20, true)))).as("by score, no score last")
                .containsExactly("old.jpg", "high.jpg", "mid.jpg", "low.jpg", "noface.jpg");
        assertThat(names(catalog.list(new CatalogQuery(null, 1.0, 2, true)))).as("top").containsExactly("old.jpg", "high.jpg");
        assertThat(catalog.list(new CatalogQuery(T0.plus(Duration.ofDays(1)), null, 5, false))).isEmpty();
    }

    static List<String> names(List<CatalogEntry> entries) {
        return entries.stream().map(e -> e.location().getPath().replaceFirst(".*/", "")).toList();
    }

    @Test
    void statsCountWhatIsThere() {
        CatalogStats empty = catalog.stats();
        assertThat(empty.images()).isZero();
        assertThat(empty.first()).isNull();
        assertThat(empty.database()).isEqualTo(settings.url());

        catalog.record(sighting("a.jpg", HASH, T0, 3.0, "mori", 2.0, "ina"));
        catalog.record(sighting("b.jpg", ~HASH, T0.plus(Duration.ofHours(5)), 1.0, "ina"));
        catalog.record(new Sighting("pics/", loc("c.jpg"), "c.jpg", 0L, 10, 10, 5, List.of(), List.of(), null, T0.plus(Duration.ofHours(1))));
        catalog.markSent(loc("a.jpg"), "slack", "");
        catalog.markSent(loc("a.jpg"), "folder", "/out/a.jpg");
        catalog.markSent(loc("b.jpg"), "slack", "");
        catalog.keepPending(loc("c.jpg"), "slack", "{}", "500");

        CatalogStats s = catalog.stats();
        assertThat(s.images()).isEqualTo(3);
        assertThat(s.faces()).isEqualTo(3);
        assertThat(s.sent()).isEqualTo(3);
        assertThat(s.pending()).isEqualTo(1);
        assertThat(s.first()).isEqualTo(T0);
        assertThat(s.last()).isEqualTo(T0.plus(Duration.ofHours(5)));
        assertThat(s.bySource()).containsExactlyInAnyOrderEntriesOf(Map.of("https://example.org/feed.xml", 2L, "pics/", 1L));
        assertThat(s.bySink()).containsExactlyInAnyOrderEntriesOf(Map.of("slack", 2L, "folder", 1L));
        assertThat(catalog.list(new CatalogQuery(null, null, 1, true)).get(0).sentTo()).containsExactly("slack", "folder");
    }

    @Test
    void reopeningKeepsEverythingAndMigratesOnce() throws Exception {
        catalog.record(sighting("a.jpg", HASH, T0, 3.0, "mori"));
        catalog.markSent(loc("a.jpg"), "slack", "");
        catalog.keepPending(loc("a.jpg"), "folder", "x", "y");
        catalog.close();

        catalog = JdbcCatalog.open(settings, getClass().getClassLoader());
        assertThat(catalog.seen(loc("a.jpg"))).isTrue();
        assertThat(catalog.duplicateOf(flip(HASH, 2))).as("the hash index is loaded from the database").isPresent();
        assertThat(catalog.wasSent(loc("a.jpg"), "slack")).isTrue();
        assertThat(catalog.pending("folder")).hasSize(1);
        catalog.close();
        catalog = JdbcCatalog.open(settings, getClass().getClassLoader());
        assertThat(catalog.stats().images()).isEqualTo(1);
        try (Connection c = JdbcCatalog.driver(settings, getClass().getClassLoader()).connect(settings.url(), settings.connectionProperties());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '1' AND \"success\" = TRUE")) {
            rs.next();
            assertThat(rs.getInt(1)).as("V1 applied once").isEqualTo(1);
        }
    }

    @Test
    void anotherCatalogOnTheSameDatabaseSeesNewImagesAsDuplicates() {
        try (JdbcCatalog second = JdbcCatalog.open(settings, getClass().getClassLoader())) {
            catalog.record(sighting("a.jpg", HASH, T0, 3.0, "mori"));
            assertThat(second.duplicateOf(flip(HASH, 2))).as("recorded after the second one loaded its index").isPresent();
        }
    }

    @Test
    void recordsFromManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> ids = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                for (int i = 0; i < 25; i++) {
                    int n = i; // every thread records the same 25 locations: each is inserted once, then updated
                    ids.add(pool.submit(() -> {
                        long id = catalog.record(sighting("p" + n + ".jpg", (long) n << 20, T0, 1.0 + n / 10.0, "mori"));
                        catalog.duplicateOf((long) n << 20);
                        catalog.seen(loc("p" + n + ".jpg"));
                        return id;
                    }));
                }
            }
            for (Future<Long> f : ids) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(catalog.stats().images()).isEqualTo(25);
        assertThat(catalog.stats().faces()).isEqualTo(25);
    }

    @Test
    void aChunkIsRecordedAsEachSightingInTurnWouldBe() {
        long a = catalog.record(sighting("a.jpg", HASH, T0, 3.0, "mori"));
        catalog.markSent(loc("a.jpg"), "slack", "ts=1");
        List<Long> ids = catalog.recordAll(List.of(sighting("b.jpg", flip(HASH, 20), T0, 1.0, "ina"),
                sighting("a.jpg", HASH, T0.plus(Duration.ofDays(1)), 2.0, "ina", 4.5, "mori"), sighting("c.jpg", ~HASH, T0)));
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        assertThat(ids.get(1)).as("a seen again keeps its id").isEqualTo(a);
        CatalogEntry e = catalog.list(new CatalogQuery(null, null, 10, false)).stream().filter(x -> x.id() == a).findFirst().orElseThrow();
        assertThat(e.score()).isEqualTo(4.5);
        assertThat(e.label()).isEqualTo("mori");
        assertThat(e.faces()).isEqualTo(2);
        assertThat(e.firstSeen()).isEqualTo(T0);
        assertThat(e.lastSeen()).isEqualTo(T0.plus(Duration.ofDays(1)));
        assertThat(e.sentTo()).containsExactly("slack");
        assertThat(catalog.stats().images()).isEqualTo(3);
        assertThat(catalog.stats().faces()).as("a's first face replaced by its two, b's one").isEqualTo(3);
        assertThat(catalog.duplicateOf(flip(HASH, 21)).orElseThrow().id()).as("the chunk's hashes are indexed").isEqualTo(ids.get(0));
        assertThat(catalog.recordAll(List.of(sighting("d.jpg", 5L, T0, 1.0, "ina"), sighting("d.jpg", 5L, T0, 2.0, "ina", 3.0, "mori"))))
                .as("the same location twice in a chunk: the later sighting updates the earlier").hasSize(2)
                .satisfies(l -> assertThat(l.get(0)).isEqualTo(l.get(1)));
        assertThat(catalog.stats().faces()).isEqualTo(5);
    }

    @Test
    void chunksFromManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> ids = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                for (int c = 0; c < 5; c++) {
                    int chunk = c; // every thread records the same five chunks of five: each location inserted once, then updated
                    ids.add(pool.submit(() -> {
                        List<Sighting> s = new ArrayList<>();
                        for (int i = 0; i < 5; i++) {
                            int n = chunk * 5 + i;
                            s.add(sighting("p" + n + ".jpg", (long) n << 20, T0, 1.0 + n / 10.0, "mori"));
                        }
                        return catalog.recordAll(s);
                    }));
                }
            }
            for (Future<List<Long>> f : ids) {
                assertThat(f.get(60, TimeUnit.SECONDS)).hasSize(5).allMatch(id -> id > 0);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(catalog.stats().images()).isEqualTo(25);
        assertThat(catalog.stats().faces()).isEqualTo(25);
    }
}
