package konomi.catalog;

import java.net.URI;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool.PoolInitializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import konomi.api.KonomiException;
import konomi.api.Score;
import konomi.api.catalog.Catalog;
import konomi.api.catalog.CatalogEntry;
import konomi.api.catalog.CatalogQuery;
import konomi.api.catalog.CatalogStats;
import konomi.api.catalog.Pending;
import konomi.api.catalog.Sighting;
import konomi.api.sink.FaceResult;
import konomi.api.sink.ModelRef;

/**
 * The catalog on one JDBC database: opened (driver, HikariCP pool, Flyway migrations, hash index) by {@link #open}, then
 * safe for any number of threads. Every failure is a one-line {@link KonomiException} naming the database (its URL
 * without password) and what went wrong.
 */
public final class JdbcCatalog implements Catalog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCatalog.class);
    /** Rows fetched at a time when the hash index is loaded (PostgreSQL streams only with a fetch size). */
    private static final int FETCH = 10_000;
    /** Ids per IN (...) list. */
    private static final int CHUNK = 500;
    private static final String UNIQUE_VIOLATION = "23505";
    /** Connections open at most: one per busy thread; more callers wait for one to be given back. */
    static final int MAX_CONNECTIONS = 4;
    /** How long a caller waits for a connection (all in use, or the database not answering) before the call fails. */
    private static final long CONNECTION_TIMEOUT_MS = 10_000;
    private static final String ENTRY_COLUMNS = "id, source, location, phash, width, height, faces, best_score, best_scorer, best_label, first_seen, last_seen";

    private final Settings settings;
    private final HikariDataSource pool;
    private final HashIndex index = new HashIndex();

    private JdbcCatalog(Settings settings, HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /**
     * Opens the catalog: loads the driver through {@code loader} (the bundle's class loader, which imports the
     * drivers' packages), migrates the schema with Flyway (scripts and Flyway's plugins are found through the same
     * loader) and loads the hash index.
     */
    public static JdbcCatalog open(Settings settings, ClassLoader loader) {
        HikariDataSource pool = pool(settings, driver(settings, loader));
        JdbcCatalog c = new JdbcCatalog(settings, pool);
        try {
            c.migrate(loader);
            c.loadIndex();
            return c;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    static Driver driver(Settings settings, ClassLoader loader) {
        String cls = settings.h2() ? "org.h2.Driver" : "org.postgresql.Driver";
        String bundle = settings.h2() ? "com.h2database" : "org.postgresql.jdbc";
        try {
            return (Driver) Class.forName(cls, true, loader).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new KonomiException("catalog " + settings.url() + ": no JDBC driver " + cls + " (is the bundle " + bundle + " installed?)");
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new KonomiException("catalog " + settings.url() + ": cannot load the JDBC driver " + cls + ": " + e);
        }
    }

    /**
     * HikariCP over the driver: at most {@link #MAX_CONNECTIONS} connections, each checked ({@code isValid}) before it is
     * handed out again after a pause, rolled back and reset (auto-commit) when given back. Opening it opens one
     * connection, so a refused login or a locked file is told at once as such, not as a migration failure.
     */
    private static HikariDataSource pool(Settings settings, Driver driver) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("konomi-catalog");
        config.setDataSource(new DriverSource(driver, settings));
        config.setMaximumPoolSize(MAX_CONNECTIONS);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.setInitializationFailTimeout(1); // one attempt, then fail
        try {
            return new HikariDataSource(config);
        } catch (PoolInitializationException e) {
            throw new KonomiException("catalog " + settings.url() + ": " + explain(settings, e.getCause() == null ? e : e.getCause(), "cannot open the database"));
        }
    }

    private void migrate(ClassLoader loader) {
        try {
            MigrateResult r = Flyway.configure(loader).loggers("slf4j").dataSource(pool).locations("classpath:db/migration").load().migrate();
            if (r.migrationsExecuted > 0) {
                LOG.info("catalog {}: schema migrated to version {} ({} migrations)", settings.url(), r.targetSchemaVersion, r.migrationsExecuted);
            }
        } catch (FlywayException e) {
            throw new KonomiException("catalog " + settings.url() + ": " + explain(e, "schema migration failed"));
        }
    }

    /** Streams (id, phash) of every image into the index. */
    private void loadIndex() {
        long t0 = System.nanoTime();
        sql("cannot read the image hashes", c -> {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT id, phash FROM images ORDER BY id")) {
                ps.setFetchSize(FETCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        index.put(rs.getLong(1), rs.getLong(2));
                    }
                }
            }
            c.commit();
            return null;
        });
        LOG.debug("catalog {}: {} image hashes loaded in {} ms", settings.url(), index.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Adds images another process recorded since the index was loaded (one indexed query). */
    private void catchUp(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, phash FROM images WHERE id > ? ORDER BY id")) {
            ps.setLong(1, index.maxId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    index.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
    }

    /** The database as users see it: its URL without password. */
    public String database() {
        return settings.url();
    }

    public int duplicateDistance() {
        return settings.distance();
    }

    @Override
    public boolean seen(URI location) {
        String loc = location(location);
        return sql("cannot look up " + loc, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM images WHERE location = ?")) {
                ps.setString(1, loc);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public Optional<CatalogEntry> duplicateOf(long phash) {
        return sql("cannot look for duplicates", c -> {
            catchUp(c);
            long id = index.nearest(phash, settings.distance());
            return id < 0 ? Optional.empty() : entry(c, id);
        });
    }

    @Override
    public long record(Sighting s) {
        return recordAll(List.of(s)).get(0);
    }

    /**
     * Every sighting in one transaction and a few statements for all of them (batched updates and inserts, one
     * query for the ids): with a transaction and statements per picture, H2 took 0.30 ms a new picture and 0.65 ms
     * one seen before, 0.21 and 0.36 ms so (1,000 pictures in chunks of 64, warm JVM). Another thread or process inserting one of the locations meanwhile makes the insert
     * fail; then the transaction is rolled back and done again, and finds that row to update.
     */
    @Override
    public List<Long> recordAll(List<Sighting> sightings) {
        List<String> locs = new ArrayList<>(sightings.size());
        for (Sighting s : sightings) {
            if (s == null || s.location() == null) {
                throw new KonomiException("catalog " + settings.url() + ": a sighting needs a location");
            }
            locs.add(location(s.location()));
        }
        if (sightings.isEmpty()) {
            return List.of();
        }
        if (new java.util.HashSet<>(locs).size() < locs.size()) {
            // the same location twice: each sighting in turn, the later updating the earlier
            return sightings.stream().map(s -> recordAll(List.of(s)).get(0)).toList();
        }
        List<Long> ids = sql("cannot record " + (locs.size() == 1 ? locs.get(0) : locs.size() + " images"), c -> {
            for (int attempt = 0; ; attempt++) {
                c.setAutoCommit(false);
                try (Statements st = new Statements(c)) {
                    List<Long> r = recordIn(st, sightings, locs);
                    c.commit();
                    return r;
                } catch (SQLException e) {
                    c.rollback();
                    if (attempt == 0 && uniqueViolation(e)) {
                        continue; // another thread or process inserted one of the locations first: update it
                    }
                    throw e;
                }
            }
        });
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), sightings.get(i).phash());
        }
        return ids;
    }

    /** A unique key violated, also when a batch reports it (a BatchUpdateException wraps the driver's). */
    private static boolean uniqueViolation(SQLException e) {
        for (Throwable t : new Throwable[] {e, e.getCause(), e.getNextException()}) {
            if (t instanceof SQLException q && UNIQUE_VIOLATION.equals(q.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private List<Long> recordIn(Statements st, List<Sighting> sightings, List<String> locs) throws SQLException {
        PreparedStatement up = st.get("UPDATE images SET item = ?, phash = ?, width = ?, height = ?, bytes = ?, faces = ?, "
                + "detector = ?, last_seen = ?, best_score = ?, best_scorer = ?, best_label = ? WHERE location = ?");
        for (int i = 0; i < sightings.size(); i++) {
            Sighting s = sightings.get(i);
            Best best = Best.of(s);
            setPicture(up, 1, s);
            up.setObject(8, time(seen(s)));
            setDouble(up, 9, best.score);
            up.setString(10, best.scorer);
            up.setString(11, best.label);
            up.setString(12, locs.get(i));
            up.addBatch();
        }
        int[] updated = up.executeBatch();
        PreparedStatement ins = null;
        for (int i = 0; i < sightings.size(); i++) {
            if (updated[i] != 0) {
                continue;
            }
            Sighting s = sightings.get(i);
            Best best = Best.of(s);
            ins = st.get("INSERT INTO images (source, location, item, phash, width, height, bytes, faces, detector, "
                    + "first_seen, last_seen, best_score, best_scorer, best_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ins.setString(1, s.source() == null ? "" : s.source());
            ins.setString(2, locs.get(i));
            setPicture(ins, 3, s);
            ins.setObject(10, time(seen(s)));
            ins.setObject(11, time(seen(s)));
            setDouble(ins, 12, best.score);
            ins.setString(13, best.scorer);
            ins.setString(14, best.label);
            ins.addBatch();
        }
        if (ins != null) {
            ins.executeBatch();
        }
        Map<String, Long> idOf = new HashMap<>();
        try (PreparedStatement q = st.connection().prepareStatement("SELECT id, location FROM images WHERE location IN (" + marks(locs.size()) + ")")) {
            for (int i = 0; i < locs.size(); i++) {
                q.setString(i + 1, locs.get(i));
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    idOf.put(rs.getString(2), rs.getLong(1));
                }
            }
        }
        List<Long> ids = new ArrayList<>(locs.size());
        for (String loc : locs) {
            Long id = idOf.get(loc);
            if (id == null) {
                throw new SQLException("the database has no id for " + loc + " after recording it");
            }
            ids.add(id);
        }
        List<Long> seenBefore = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (updated[i] != 0) {
                seenBefore.add(ids.get(i));
            }
        }
        if (!seenBefore.isEmpty()) {
            // a second sighting's faces and scores replace the first's (a new image has none)
            for (String table : new String[] {"scores", "faces"}) {
                try (PreparedStatement del = st.connection().prepareStatement("DELETE FROM " + table + " WHERE image IN (" + marks(seenBefore.size()) + ")")) {
                    for (int i = 0; i < seenBefore.size(); i++) {
                        del.setLong(i + 1, seenBefore.get(i));
                    }
                    del.executeUpdate();
                }
            }
        }
        for (int i = 0; i < sightings.size(); i++) {
            addFacesAndScores(st, ids.get(i), sightings.get(i), updated[i] != 0);
        }
        for (String sql : Statements.BATCHED) {
            st.executeIfUsed(sql);
        }
        return ids;
    }

    /** The picture's columns item, phash, width, height, bytes, faces, detector from parameter {@code at} on. */
    private static void setPicture(PreparedStatement ps, int at, Sighting s) throws SQLException {
        ps.setString(at, s.id());
        ps.setLong(at + 1, s.phash());
        ps.setInt(at + 2, s.width());
        ps.setInt(at + 3, s.height());
        ps.setLong(at + 4, s.bytes());
        ps.setInt(at + 5, s.faces().size());
        ps.setString(at + 6, ref(s.detector()));
    }

    /** Adds the sighting's faces and scores to the statements' batches; its best score per scorer is kept or replaced. */
    private void addFacesAndScores(Statements st, long id, Sighting s, boolean seenBefore) throws SQLException {
        PreparedStatement faces = st.get(Statements.FACES), scores = st.get(Statements.SCORES);
        int f = 0;
        for (FaceResult fr : s.faces()) {
            faces.setLong(1, id);
            faces.setInt(2, f);
            faces.setInt(3, fr.face().box().x1());
            faces.setInt(4, fr.face().box().y1());
            faces.setInt(5, fr.face().box().x2());
            faces.setInt(6, fr.face().box().y2());
            faces.setDouble(7, fr.face().confidence());
            faces.addBatch();
            Set<String> done = new java.util.HashSet<>();
            for (int j = 0; j < fr.scores().size(); j++) {
                Score sc = fr.scores().get(j);
                ModelRef m = j < s.scorers().size() ? s.scorers().get(j) : new ModelRef(sc.scorer(), "", "", "");
                if (!done.add(m.name() + "\u0000" + m.version())) {
                    continue;
                }
                scores.setLong(1, id);
                scores.setInt(2, f);
                scores.setString(3, m.name());
                scores.setString(4, m.version());
                scores.setDouble(5, sc.value());
                scores.setString(6, sc.label());
                scores.addBatch();
            }
            f++;
        }
        for (int j = 0; j < s.scorers().size(); j++) {
            int face = Best.bestFace(s, j);
            if (face < 0) {
                continue;
            }
            ModelRef m = s.scorers().get(j);
            Score sc = s.faces().get(face).scores().get(j);
            if (seenBefore) {
                PreparedStatement del = st.get(Statements.BEST_DELETE);
                del.setLong(1, id);
                del.setString(2, m.name());
                del.addBatch();
            }
            PreparedStatement ins = st.get(Statements.BEST);
            ins.setLong(1, id);
            ins.setString(2, m.name());
            ins.setString(3, m.version());
            ins.setInt(4, face);
            ins.setDouble(5, sc.value());
            ins.setString(6, sc.label());
            ins.setObject(7, time(seen(s)));
            ins.addBatch();
        }
    }

    /** Statements prepared once per transaction: recording a chunk of pictures adds every row to a few batches. */
    private static final class Statements implements AutoCloseable {
        static final String FACES = "INSERT INTO faces (image, face, x1, y1, x2, y2, confidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                SCORES = "INSERT INTO scores (image, face, scorer, scorer_version, score, label) VALUES (?, ?, ?, ?, ?, ?)",
                BEST_DELETE = "DELETE FROM best_scores WHERE image = ? AND scorer = ?",
                BEST = "INSERT INTO best_scores (image, scorer, scorer_version, face, score, label, seen) VALUES (?, ?, ?, ?, ?, ?, ?)";
        /** The batches in the order they run: faces before their scores, a replaced best score deleted before its new one. */
        static final List<String> BATCHED = List.of(FACES, SCORES, BEST_DELETE, BEST);
        private final Connection c;
        private final Map<String, PreparedStatement> open = new HashMap<>();

        Statements(Connection c) {
            this.c = c;
        }

        Connection connection() {
            return c;
        }

        PreparedStatement get(String sql) throws SQLException {
            PreparedStatement ps = open.get(sql);
            if (ps == null) {
                ps = c.prepareStatement(sql);
                open.put(sql, ps);
            }
            return ps;
        }

        void executeIfUsed(String sql) throws SQLException {
            PreparedStatement ps = open.get(sql);
            if (ps != null) {
                ps.executeBatch();
            }
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement ps : open.values()) {
                ps.close();
            }
        }
    }

    /** The best face of a sighting by one scorer, and the image's score, scorer and label as catalog:list shows them. */
    record Best(Double score, String scorer, String label) {
        static Best of(Sighting s) {
            int face = bestFace(s, 0);
            if (face < 0) {
                return new Best(null, null, null);
            }
            FaceResult fr = s.faces().get(face);
            String label = null; // the first classifier's, else the first label any scorer gave
            for (int j = 0; j < s.scorers().size() && j < fr.scores().size(); j++) {
                String l = fr.scores().get(j).label();
                if (l != null && s.scorers().get(j).classifier()) {
                    label = l;
                    break;
                }
                label = label == null ? l : label;
            }
            return new Best(fr.scores().get(0).value(), ref(s.scorers().get(0)), label);
        }

        /** The face with the highest score of scorer j, or -1 when no face has one. */
        static int bestFace(Sighting s, int j) {
            if (j >= s.scorers().size()) {
                return -1;
            }
            int best = -1;
            for (int f = 0; f < s.faces().size(); f++) {
                List<Score> sc = s.faces().get(f).scores();
                if (j < sc.size() && !Double.isNaN(sc.get(j).value())
                        && (best < 0 || sc.get(j).value() > s.faces().get(best).scores().get(j).value())) {
                    best = f;
                }
            }
            return best;
        }
    }

    @Override
    public boolean wasSent(URI location, String sink) {
        String loc = location(location);
        return sql("cannot tell whether " + loc + " was sent to " + sink, c -> {
            long id, phash;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, phash FROM images WHERE location = ?")) {
                ps.setString(1, loc);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    id = rs.getLong(1);
                    phash = rs.getLong(2);
                }
            }
            catchUp(c);
            Set<Long> ids = new LinkedHashSet<>();
            ids.add(id);
            for (long d : index.within(phash, settings.distance())) {
                ids.add(d);
            }
            List<Long> all = new ArrayList<>(ids);
            for (int from = 0; from < all.size(); from += CHUNK) {
                List<Long> part = all.subList(from, Math.min(all.size(), from + CHUNK));
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sent WHERE sink = ? AND image IN (" + marks(part.size()) + ")")) {
                    ps.setString(1, sink);
                    for (int i = 0; i < part.size(); i++) {
                        ps.setLong(i + 2, part.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return true;
                        }
                    }
                }
            }
            return false;
        });
    }

    @Override
    public void markSent(URI location, String sink, String detail) {
        String loc = location(location);
        sql("cannot note " + loc + " as sent to " + sink, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sent (image, sink, sent_at, detail) SELECT id, ?, ?, ? FROM images WHERE location = ?")) {
                ps.setString(1, sink);
                ps.setObject(2, time(Instant.now()));
                ps.setString(3, detail);
                ps.setString(4, loc);
                if (ps.executeUpdate() == 0) {
                    throw new KonomiException("catalog " + settings.url() + ": cannot note " + loc + " as sent to " + sink + ": it was never recorded");
                }
            }
            return null;
        });
    }

    @Override
    public void keepPending(URI location, String sink, String payload, String error) {
        String loc = location(location);
        sql("cannot keep the delivery of " + loc + " to " + sink, c -> {
            for (int attempt = 0; ; attempt++) {
                try (PreparedStatement up = c.prepareStatement("UPDATE pending SET payload = ?, error = ?, attempts = attempts + 1 WHERE location = ? AND sink = ?")) {
                    up.setString(1, payload == null ? "" : payload);
                    up.setString(2, oneLine(error));
                    up.setString(3, loc);
                    up.setString(4, sink);
                    if (up.executeUpdate() > 0) {
                        return null;
                    }
                }
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO pending (location, image, sink, payload, error, attempts, since) "
                        + "VALUES (?, (SELECT id FROM images WHERE location = ?), ?, ?, ?, 1, ?)")) {
                    ins.setString(1, loc);
                    ins.setString(2, loc);
                    ins.setString(3, sink);
                    ins.setString(4, payload == null ? "" : payload);
                    ins.setString(5, oneLine(error));
                    ins.setObject(6, time(Instant.now()));
                    ins.executeUpdate();
                    return null;
                } catch (SQLException e) {
                    if (attempt > 0 || !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    // kept at the same moment by someone else: update theirs
                }
            }
        });
    }

    @Override
    public List<Pending> pending(String sink) {
        return sql("cannot list the deliveries kept for " + sink, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, location, sink, payload, error, attempts, since FROM pending WHERE sink = ? ORDER BY since, id")) {
                ps.setString(1, sink);
                List<Pending> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Pending(rs.getLong(1), URI.create(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6), instant(rs, 7)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void dropPending(long pendingId) {
        sql("cannot drop kept delivery " + pendingId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM pending WHERE id = ?")) {
                ps.setLong(1, pendingId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<CatalogEntry> list(CatalogQuery q) {
        return sql("cannot list images", c -> {
            StringBuilder sql = new StringBuilder("SELECT " + ENTRY_COLUMNS + " FROM images WHERE 1 = 1");
            if (q.since() != null) {
                sql.append(" AND last_seen >= ?");
            }
            if (q.minScore() != null) {
                sql.append(" AND best_score >= ?");
            }
            sql.append(q.byScore() ? " ORDER BY best_score DESC NULLS LAST, last_seen DESC, id DESC" : " ORDER BY last_seen DESC, id DESC");
            sql.append(" LIMIT ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                if (q.since() != null) {
                    ps.setObject(i++, time(q.since()));
                }
                if (q.minScore() != null) {
                    ps.setDouble(i++, q.minScore());
                }
                ps.setInt(i, q.top());
                List<CatalogEntry> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(entry(rs, List.of()));
                    }
                }
                return withSinks(c, rows);
            }
        });
    }

    @Override
    public CatalogStats stats() {
        return sql("cannot count", c -> {
            long images = count(c, "SELECT COUNT(*) FROM images"), faces = count(c, "SELECT COUNT(*) FROM faces");
            long sent = count(c, "SELECT COUNT(*) FROM sent"), pending = count(c, "SELECT COUNT(*) FROM pending");
            Instant first = null, last = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(first_seen), MAX(last_seen) FROM images"); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    first = instant(rs, 1);
                    last = instant(rs, 2);
                }
            }
            return new CatalogStats(settings.url(), images, faces, sent, pending, first, last,
                    groups(c, "SELECT source, COUNT(*) FROM images GROUP BY source ORDER BY COUNT(*) DESC, source"),
                    groups(c, "SELECT sink, COUNT(*) FROM sent GROUP BY sink ORDER BY COUNT(*) DESC, sink"));
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    // ---- helpers

    private Optional<CatalogEntry> entry(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ENTRY_COLUMNS + " FROM images WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(withSinks(c, List.of(entry(rs, List.of()))).get(0)) : Optional.empty();
            }
        }
    }

    private static CatalogEntry entry(ResultSet rs, List<String> sentTo) throws SQLException {
        double score = rs.getDouble(8);
        Double boxed = rs.wasNull() ? null : score;
        return new CatalogEntry(rs.getLong(1), rs.getString(2), URI.create(rs.getString(3)), rs.getLong(4), rs.getInt(5), rs.getInt(6), rs.getInt(7),
                boxed, rs.getString(9), rs.getString(10), instant(rs, 11), instant(rs, 12), sentTo);
    }

    /** The entries with the sinks each was sent to, in order of sending. */
    private static List<CatalogEntry> withSinks(Connection c, List<CatalogEntry> rows) throws SQLException {
        if (rows.isEmpty()) {
            return rows;
        }
        Map<Long, Set<String>> sinks = new LinkedHashMap<>();
        rows.forEach(r -> sinks.put(r.id(), new LinkedHashSet<>()));
        List<Long> ids = new ArrayList<>(sinks.keySet());
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> part = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            try (PreparedStatement ps = c.prepareStatement("SELECT image, sink FROM sent WHERE image IN (" + marks(part.size()) + ") ORDER BY sent_at, id")) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setLong(i + 1, part.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sinks.get(rs.getLong(1)).add(rs.getString(2));
                    }
                }
            }
        }
        return rows.stream().map(r -> new CatalogEntry(r.id(), r.source(), r.location(), r.phash(), r.width(), r.height(), r.faces(), r.score(),
                r.scorer(), r.label(), r.firstSeen(), r.lastSeen(), List.copyOf(sinks.get(r.id())))).toList();
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Long> groups(Connection c, String sql) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static String location(URI location) {
        if (location == null) {
            throw new KonomiException("catalog: no location");
        }
        return location.toString();
    }

    private static Instant seen(Sighting s) {
        return s.seen() == null ? Instant.now() : s.seen();
    }

    static String ref(ModelRef m) {
        return m == null ? null : m.version().isEmpty() ? m.name() : m.name() + " " + m.version();
    }

    private static OffsetDateTime time(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static void setDouble(PreparedStatement ps, int i, Double d) throws SQLException {
        if (d == null) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, d);
        }
    }

    private static String oneLine(String s) {
        if (s == null) {
            return null;
        }
        String line = s.strip().replaceAll("\\s*\\R\\s*", " ");
        return line.length() > 2000 ? line.substring(0, 1997) + "..." : line;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs work on a pooled connection; an SQLException becomes one line naming the database and what failed. */
    private <T> T sql(String what, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new KonomiException("catalog " + settings.url() + ": " + explain(e, what));
        }
    }

    /** What failed and why, one line, without the password; common causes in plain words. */
    String explain(Throwable e, String what) {
        return explain(settings, e, what);
    }

    private static String explain(Settings settings, Throwable failure, String what) {
        // HikariCP's "Connection is not available, request timed out" carries the last failure to connect, if any
        Throwable e = failure instanceof SQLTransientConnectionException && failure.getCause() != null ? failure.getCause() : failure;
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        String state = e instanceof SQLException s ? s.getSQLState() : null;
        String why;
        if ("90020".equals(state) || msg.contains("Database may be already in use")) {
            why = "the database is in use by another process (an H2 file database serves one process; "
                    + "stop the other Konomi, or add ;AUTO_SERVER=TRUE to url, or use PostgreSQL)";
        } else if ("28P01".equals(state) || "28000".equals(state) || "08004".equals(state)) {
            why = "login refused (check user and password in konomi.catalog.cfg): " + firstLine(msg);
        } else if (state != null && state.startsWith("08")) {
            why = "cannot connect: " + firstLine(msg);
        } else {
            why = firstLine(msg);
        }
        return settings.scrub(what + ": " + why);
    }

    private static String firstLine(String s) {
        String line = s.strip();
        int nl = line.indexOf('\n');
        line = nl < 0 ? line : line.substring(0, nl).strip();
        return line.length() > 400 ? line.substring(0, 397) + "..." : line;
    }
}
