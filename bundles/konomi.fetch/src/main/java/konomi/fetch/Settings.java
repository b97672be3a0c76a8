package konomi.fetch;

import java.util.Locale;

import konomi.api.KonomiException;

/**
 * Validated fetch settings.
 *
 * @param userAgent the User-Agent header
 * @param robotName the name matched against robots.txt groups (lower case)
 */
record Settings(String userAgent, String robotName, long hostDelayMs, long connectTimeoutMs, long requestTimeoutMs, int retries,
        long retryBaseMs, long maxBytes) {
    static final String HOME_PAGE = "https://github.com/konomi/konomi";
    /** A Retry-After longer than this is not waited for: the request fails, naming it. */
    static final long MAX_RETRY_AFTER_MS = 300_000;

    static String defaultUserAgent(String version) {
        return "Konomi/" + version + " (+" + HOME_PAGE + ")";
    }

    /**
     * @param source names the configuration in errors (the .cfg file)
     * @throws KonomiException one line naming the source and the bad value
     */
    static Settings of(String source, String version, String userAgent, long hostDelayMs, long connectTimeoutMs, long requestTimeoutMs,
            int retries, long retryBaseMs, long maxBytes) {
        String ua = userAgent == null || userAgent.isBlank() ? defaultUserAgent(version) : userAgent.strip();
        nonNegative(source, "hostDelayMs", hostDelayMs);
        positive(source, "connectTimeoutMs", connectTimeoutMs);
        positive(source, "requestTimeoutMs", requestTimeoutMs);
        nonNegative(source, "retries", retries);
        nonNegative(source, "retryBaseMs", retryBaseMs);
        positive(source, "maxBytes", maxBytes);
        String robot = ua.split("[/\\s]", 2)[0].toLowerCase(Locale.ROOT);
        return new Settings(ua, robot, hostDelayMs, connectTimeoutMs, requestTimeoutMs, retries, retryBaseMs, maxBytes);
    }

    static Settings of(String source, String version, FetchConfig c) {
        return of(source, version, c.userAgent(), c.hostDelayMs(), c.connectTimeoutMs(), c.requestTimeoutMs(), c.retries(), c.retryBaseMs(),
                c.maxBytes());
    }

    private static void positive(String source, String key, long v) {
        if (v <= 0) {
            throw new KonomiException(source + ": " + key + " must be positive, not " + v);
        }
    }

    private static void nonNegative(String source, String key, long v) {
        if (v < 0) {
            throw new KonomiException(source + ": " + key + " must not be negative, not " + v);
        }
    }

    /** A byte count as users read it: 20 MB, 100 KB, 12 bytes. */
    static String size(long bytes) {
        if (bytes >= 1 << 20) {
            return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MB" : String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
        }
        return bytes >= 1024 ? (bytes + 512) / 1024 + " KB" : bytes + " bytes";
    }
}
