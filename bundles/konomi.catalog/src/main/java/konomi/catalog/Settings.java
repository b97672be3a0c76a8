package konomi.catalog;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import konomi.api.KonomiException;
import konomi.imaging.PerceptualHash;

/**
 * Where the catalog is and how it compares pictures, checked. A password written into the URL
 * ({@code ;PASSWORD=} for H2, {@code password=} for PostgreSQL) is taken out of it and passed as a connection
 * property, so the URL can be shown and logged ({@link #url}); {@link #toString} never shows the password.
 *
 * @param url      the JDBC URL without password
 * @param user     the user, or empty
 * @param password the password, or empty
 * @param distance the duplicate distance in bits
 */
public record Settings(String url, String user, String password, int distance) {
    public static final String H2 = "jdbc:h2:", POSTGRESQL = "jdbc:postgresql:";
    private static final Pattern H2_PASSWORD = Pattern.compile("(?i);PASSWORD=([^;]*)");
    private static final Pattern PG_PASSWORD = Pattern.compile("(?i)([?&])password=([^&]*)&?");

    public Settings {
        if (url == null || url.isBlank()) {
            throw new KonomiException("catalog: no database url");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        if (distance < 0 || distance > 64) {
            throw new KonomiException("catalog: duplicateDistance must be 0 to 64 bits, not " + distance);
        }
    }

    /** The default database: an H2 file in {@code <home>/data/catalog}. */
    public static String defaultUrl(Path home) {
        // AUTO_SERVER: a second Konomi process (a score:run while konomi serve runs a schedule) shares the file through
        // the first one, over a loopback connection H2 opens itself, instead of being refused
        return H2 + "file:" + home.resolve("data").resolve("catalog").toAbsolutePath().normalize() + ";AUTO_SERVER=TRUE";
    }

    /**
     * From configuration properties (a FileInstall .cfg gives strings; ConfigAdmin may give numbers).
     *
     * @param where the .cfg file or PID, for messages
     * @param home  the Konomi home (for the default URL), or null when unknown
     */
    public static Settings from(Map<String, ?> props, String where, Path home) {
        String url = string(props.get("url")).trim();
        if (url.isEmpty()) {
            if (home == null) {
                throw new KonomiException(where + ": url is not set and the framework property konomi.home is missing, so there is no default database");
            }
            url = defaultUrl(home);
        }
        // ".password" is a private property: unlike "password" it is not copied onto the service's properties
        String password = string(props.get(".password"));
        password = password.isEmpty() ? string(props.get("password")) : password;
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith(H2)) {
            Matcher m = H2_PASSWORD.matcher(url);
            if (m.find()) {
                password = password.isEmpty() ? m.group(1) : password;
                url = m.replaceAll("");
            }
        } else if (lower.startsWith(POSTGRESQL)) {
            Matcher m = PG_PASSWORD.matcher(url);
            if (m.find()) {
                password = password.isEmpty() ? m.group(2) : password;
                url = m.replaceAll("$1").replaceAll("[?&]$", "");
            }
        } else {
            throw new KonomiException(where + ": url must be jdbc:h2:... or jdbc:postgresql://host[:port]/database, not '" + redact(url) + "'");
        }
        int distance = PerceptualHash.DEFAULT_DISTANCE;
        Object d = props.get("duplicateDistance");
        if (d != null && !string(d).isBlank()) {
            try {
                distance = d instanceof Number n ? n.intValue() : Integer.parseInt(string(d).trim());
            } catch (NumberFormatException e) {
                throw new KonomiException(where + ": duplicateDistance must be a whole number of bits (0-64), not '" + d + "'");
            }
            if (distance < 0 || distance > 64) {
                throw new KonomiException(where + ": duplicateDistance must be 0 to 64 bits, not " + distance);
            }
        }
        return new Settings(url, string(props.get("user")).trim(), password, distance);
    }

    private static String string(Object o) {
        return o == null ? "" : o instanceof char[] c ? new String(c) : String.valueOf(o);
    }

    /** A URL with any password parameter blanked, for messages about a URL that was not accepted. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password|pwd)=[^;&]*", "$1=***");
    }

    public boolean h2() {
        return url.toLowerCase(Locale.ROOT).startsWith(H2);
    }

    /** User and password as JDBC connection properties. */
    Properties connectionProperties() {
        Properties p = new Properties();
        if (!user.isEmpty()) {
            p.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        return p;
    }

    /** Removes the password from a message (a driver may echo what it was given). */
    String scrub(String message) {
        String m = message == null ? "" : message;
        if (!password.isEmpty()) {
            m = m.replace(password, "***");
        }
        return redact(m);
    }

    @Override
    public String toString() {
        return url + (user.isEmpty() ? "" : " as " + user) + " (duplicate distance " + distance + ")";
    }
}
