package konomi.sink.slack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RateLimiter;
import dev.failsafe.RetryPolicy;

/**
 * Posts JSON to one webhook: spaced by a rate limiter, retried with back-off on 429, 5xx and network errors
 * (a Retry-After header sets the wait). Failsafe does the retrying and spacing. Its messages never contain the
 * URL, which is a secret.
 */
final class Webhook {
    private final URI url;
    private final HttpClient client;
    private final Duration timeout;
    private final RetryPolicy<HttpResponse<String>> retry;
    private final RateLimiter<Object> limiter;

    Webhook(URI url, SlackConfig cfg) {
        this.url = url;
        this.timeout = Duration.ofMillis(Math.max(1, cfg.timeoutMs()));
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        Duration max = Duration.ofMillis(Math.max(cfg.backoffMs() + 1, cfg.maxBackoffMs()));
        this.retry = RetryPolicy.<HttpResponse<String>>builder()
                .handle(IOException.class)
                .handleResultIf(r -> retryable(r.statusCode()))
                .withMaxRetries(Math.max(0, cfg.retries()))
                .withBackoff(Duration.ofMillis(Math.max(1, cfg.backoffMs())), max)
                // Retry-After (seconds) when the server gives it; a negative answer keeps the back-off
                .withDelayFn(ctx -> retryAfter(ctx.getLastResult()))
                .withMaxDuration(max.multipliedBy(Math.max(1, cfg.retries() + 1)))
                .build();
        this.limiter = cfg.minIntervalMs() <= 0 ? null
                : RateLimiter.smoothBuilder(Duration.ofMillis(cfg.minIntervalMs())).withMaxWaitTime(Duration.ofHours(1)).build();
    }

    static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    private static Duration retryAfter(HttpResponse<String> r) {
        if (r == null) {
            return Duration.ofMillis(-1);
        }
        return r.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.of(Long.parseLong(v.trim()), ChronoUnit.SECONDS);
            } catch (NumberFormatException e) {
                return Duration.ofMillis(-1);
            }
        }).orElse(Duration.ofMillis(-1));
    }

    /**
     * Posts one message.
     *
     * @return null when the webhook took it, else one line saying why not (after the retries)
     */
    String post(String json) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<String> r = Failsafe.with(retry).get(() -> {
                if (limiter != null) {
                    limiter.acquirePermit();
                }
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            });
            if (r.statusCode() / 100 == 2) {
                return null;
            }
            String body = r.body() == null ? "" : r.body().strip();
            return "HTTP " + r.statusCode() + (body.isEmpty() || body.length() > 80 ? "" : " (" + body + ")");
        } catch (FailsafeException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof InterruptedException ie) {
                throw ie;
            }
            // the JDK's messages for connection failures do not include the URL; say only what kind it was
            return c.getClass().getSimpleName().replace("Exception", "").toLowerCase(Locale.ROOT).replace("httpconnecttimeout", "connect timeout")
                    + (c.getMessage() == null ? "" : ": " + c.getMessage().replace(url.toString(), "<webhook>"));
        }
    }
}
