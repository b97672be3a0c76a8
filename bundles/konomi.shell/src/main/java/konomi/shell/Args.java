package konomi.shell;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Option parsing shared by the commands. */
final class Args {
    private Args() {
    }

    /** A comma-separated option as its non-blank names. */
    static List<String> names(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    private static final Pattern AGO = Pattern.compile("(\\d+)\\s*(m|min|h|d|w)");

    /**
     * A point in time as an option gives it: an age ({@code 30m}, {@code 12h}, {@code 7d}, {@code 2w}: that long
     * before now; a bare number is days), a date ({@code 2026-11-30}: its start, local time), a local date and time
     * ({@code 2026-11-30T18:00}) or an instant ({@code 2026-11-30T18:00:00Z}).
     *
     * @throws IllegalArgumentException naming the option and the accepted forms
     */
    static Instant since(String option, Object given, Clock clock) {
        if (given instanceof Number n) {
            // Gogo reads 7d as the Java literal 7.0 (a double): a number is days
            return clock.instant().minus(Duration.ofSeconds(Math.round(n.doubleValue() * 86_400)));
        }
        String value = String.valueOf(given);
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.matches("\\d+(\\.\\d+)?")) {
            return clock.instant().minus(Duration.ofSeconds(Math.round(Double.parseDouble(v) * 86_400)));
        }
        Matcher m = AGO.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return clock.instant().minus(d);
        }
        try {
            if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(v).atStartOfDay(clock.getZone()).toInstant();
            }
            if (v.endsWith("z") || v.matches(".*[+-]\\d{2}:\\d{2}$")) {
                return java.time.OffsetDateTime.parse(value.trim().toUpperCase(Locale.ROOT)).toInstant();
            }
            return LocalDateTime.parse(value.trim().toUpperCase(Locale.ROOT)).atZone(clock.getZone()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " wants an age (30m, 12h, 7d, 2w) or a date (2026-11-30, 2026-11-30T18:00), not '" + value + "'");
        }
    }
}
