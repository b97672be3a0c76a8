package konomi.shell;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.api.catalog.Catalog;
import konomi.api.catalog.CatalogEntry;
import konomi.api.catalog.CatalogQuery;
import konomi.api.catalog.CatalogStats;

/** {@code catalog:list} and {@code catalog:stats}: parse, ask the catalog, print. */
@Component(service = CatalogCommands.class, property = {"osgi.command.scope=catalog", "osgi.command.function=list",
        "osgi.command.function=stats"})
public class CatalogCommands {
    private static final DateTimeFormatter SEEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    @Reference
    private Catalog catalog;

    @Descriptor("list the images the catalog recorded, newest first: id, when last seen, score (the best face's, first scorer), "
            + "scorer, label, faces, the sinks it was sent to, where it came from. With --min-score or --by-score the best come first")
    public void list(
            @Descriptor("only images seen since: an age (30m, 12h, 7d, 2w) or a date (2026-11-30, 2026-11-30T18:00)") @Parameter(names = {"--since"}, absentValue = "") Object since,
            @Descriptor("at most this many rows") @Parameter(names = {"-n", "--top"}, absentValue = "20") int top,
            @Descriptor("only images scoring at least this (images without a score are left out); ranks by score") @Parameter(names = {"--min-score"}, absentValue = "") Object minScore,
            @Descriptor("rank by score, best first, instead of newest first") @Parameter(names = {"--by-score"}, absentValue = "false", presentValue = "true") boolean byScore,
            @Descriptor("tab-separated rows without header, for scripts") @Parameter(names = {"--no-format"}, absentValue = "false", presentValue = "true") boolean noFormat) {
        // an Object: Gogo turns 7d into the number 7.0 before a String parameter could see it
        Instant from = String.valueOf(since).isBlank() ? null : Args.since("--since", since, Clock.systemDefaultZone());
        Double min = null;
        if (minScore instanceof Number n) {
            min = n.doubleValue();
        } else if (!String.valueOf(minScore).isBlank()) {
            try {
                min = Double.parseDouble(String.valueOf(minScore).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--min-score wants a number, not '" + minScore + "'");
            }
        }
        if (top < 1) {
            throw new IllegalArgumentException("--top must be at least 1, not " + top);
        }
        Table t = new Table("id", "seen", "score", "scorer", "label", "faces", "sent to", "location");
        for (CatalogEntry e : catalog.list(new CatalogQuery(from, min, top, byScore || min != null))) {
            t.row(e.id(), SEEN.format(e.lastSeen().atZone(ZoneId.systemDefault())), e.score() == null ? "-" : String.format(Locale.ROOT, "%.3f", e.score()),
                    e.scorer(), e.label(), e.faces(), String.join(",", e.sentTo()), e.location());
        }
        t.print(System.out, !noFormat);
    }

    @Descriptor("show what the catalog holds: its database, images, faces, deliveries, pending retries, first and last sighting, images per source and deliveries per sink")
    public void stats(
            @Descriptor("tab-separated rows without header, for scripts") @Parameter(names = {"--no-format"}, absentValue = "false", presentValue = "true") boolean noFormat) {
        CatalogStats s = catalog.stats();
        Table t = new Table("item", "value");
        t.row("database", s.database());
        t.row("images", s.images());
        t.row("faces", s.faces());
        t.row("sent", s.sent());
        t.row("pending", s.pending());
        t.row("first seen", s.first() == null ? "-" : SEEN.format(s.first().atZone(ZoneId.systemDefault())));
        t.row("last seen", s.last() == null ? "-" : SEEN.format(s.last().atZone(ZoneId.systemDefault())));
        for (Map.Entry<String, Long> e : s.bySource().entrySet()) {
            t.row("source " + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Long> e : s.bySink().entrySet()) {
            t.row("sink " + e.getKey(), e.getValue());
        }
        t.print(System.out, !noFormat);
    }
}
