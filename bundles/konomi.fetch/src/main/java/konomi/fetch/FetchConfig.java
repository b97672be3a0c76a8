package konomi.fetch;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Fetching settings (ConfigAdmin PID {@code konomi.fetch}, e.g. a file {@code etc/konomi.fetch.cfg}). All optional. */
@ObjectClassDefinition(id = FetchConfig.PID, name = "Konomi fetcher", description = "Politeness and safety limits of HTTP(S) fetching")
public @interface FetchConfig {
    String PID = "konomi.fetch";

    @AttributeDefinition(description = "User-Agent header; empty for Konomi/<version> (+https://github.com/konomi/konomi). "
            + "Its first word (before '/') is the name robots.txt rules are matched against")
    String userAgent() default "";

    @AttributeDefinition(description = "Milliseconds between the starts of two requests to one host (host:port)")
    long hostDelayMs() default 1000;

    @AttributeDefinition(description = "Milliseconds to wait for a connection")
    long connectTimeoutMs() default 10_000;

    @AttributeDefinition(description = "Milliseconds a whole request (headers and body) may take")
    long requestTimeoutMs() default 30_000;

    @AttributeDefinition(description = "Tries after the first on a timeout, a connection failure, 429 or 5xx")
    int retries() default 3;

    @AttributeDefinition(description = "Back-off before the first retry, doubled for each next one; a longer Retry-After wins")
    long retryBaseMs() default 1000;

    @AttributeDefinition(description = "Largest body accepted, in bytes (default 20 MB)")
    long maxBytes() default 20L << 20;
}
