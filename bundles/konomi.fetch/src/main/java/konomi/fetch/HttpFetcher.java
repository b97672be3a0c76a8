package konomi.fetch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import konomi.api.KonomiException;
import konomi.api.fetch.FetchRequest;
import konomi.api.fetch.Fetched;
import konomi.api.fetch.Fetcher;

/**
 * The Fetcher, on the JDK's HttpClient. Polite: requests to one host:port start {@code hostDelayMs} apart, a URL
 * robots.txt disallows for Konomi is never requested (redirects are followed here, hop by hop, so each hop is
 * paced and checked too: at most 5, never from https to http), the User-Agent names Konomi. Safe: every request has a
 * deadline for its whole exchange (headers and body), the body is refused from its headers when the type is wrong
 * or the declared size too large and cut off the moment it passes the limit, an image must start with an image
 * header. Retries: a small loop (the decision needs the response's status and Retry-After, which a generic retry
 * library would only see through adapters): timeouts, connection failures, 429 and 5xx are retried with
 * exponential back-off, a longer Retry-After wins. Cheap: documents fetched conditionally keep their last body and
 * validators under {@code <home>/data/http/}; a 304 answer returns that body.
 */
@Component(configurationPid = FetchConfig.PID)
@Designate(ocd = FetchConfig.class)
public class HttpFetcher implements Fetcher {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFetcher.class);
    private static final String DOCUMENT_ACCEPT = "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
            + "application/xml;q=0.9, text/*;q=0.8";
    private static final String IMAGE_ACCEPT = "image/jpeg, image/png, image/webp, image/bmp, image/gif;q=0.8, */*;q=0.1";
    private static final long ROBOTS_MAX_BYTES = 512 * 1024;
    private static final java.util.Set<Integer> REDIRECTS = java.util.Set.of(301, 302, 303, 307, 308);
    static final int MAX_REDIRECTS = 5;

    private final HostPacer pacer = new HostPacer();
    private final Robots robots = new Robots();
    private volatile ValidatorStore store;
    private volatile Settings settings;
    private volatile KonomiException settingsError;
    private volatile HttpClient client;

    /** For DS. */
    public HttpFetcher() {
    }

    /** A fetcher with these settings, keeping conditional copies under {@code keep} (null: none). */
    HttpFetcher(Settings settings, Path keep) {
        this.store = keep == null ? null : new ValidatorStore(keep);
        apply(settings);
    }

    /**
     * A bad value does not stop the component: each fetch then fails with the reason (naming the .cfg file)
     * instead of quietly running on other values.
     */
    @Activate
    @Modified
    void configure(BundleContext context, FetchConfig config, java.util.Map<String, Object> props) {
        String home = context.getProperty("konomi.home");
        store = home == null ? null : new ValidatorStore(Path.of(home, "data", "http"));
        Object file = props.get("felix.fileinstall.filename");
        String source = file == null ? FetchConfig.PID : file.toString().replaceFirst("^file:", "");
        org.osgi.framework.Version v = context.getBundle().getVersion();
        try {
            apply(Settings.of(source, v.getMajor() + "." + v.getMinor() + "." + v.getMicro(), config));
            settingsError = null;
        } catch (KonomiException e) {
            settingsError = e;
            LOG.error(e.getMessage());
        }
    }

    private void apply(Settings s) {
        Settings old = settings;
        if (old == null || old.connectTimeoutMs() != s.connectTimeoutMs()) {
            client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(s.connectTimeoutMs()))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        settings = s;
    }

    @Override
    public Fetched get(URI uri, FetchRequest request) {
        KonomiException bad = settingsError;
        if (bad != null) {
            throw bad;
        }
        Settings s = settings;
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new KonomiException(uri + ": not an http(s) URL");
        }
        try {
            String refused = robots.refusal(uri, s.robotName(), txt -> robotsTxt(txt, s));
            if (refused != null) {
                throw new KonomiException(uri + ": " + refused);
            }
            return fetch(uri, request, s);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KonomiException(uri + ": interrupted");
        }
    }

    private Fetched fetch(URI uri, FetchRequest request, Settings s) throws InterruptedException {
        long limit = Math.min(request.maxBytes(), s.maxBytes());
        boolean image = request.kind() == FetchRequest.Kind.IMAGE;
        ValidatorStore keep = request.conditional() ? store : null;
        ValidatorStore.Kept kept = keep == null ? null : keep.load(uri);
        int tries = s.retries() + 1;
        URI at = uri;
        int hops = 0;
        for (int attempt = 1;; attempt++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(at).timeout(Duration.ofMillis(s.requestTimeoutMs()))
                    .header("User-Agent", s.userAgent()).header("Accept", image ? IMAGE_ACCEPT : DOCUMENT_ACCEPT);
            if (kept != null && !kept.etag().isEmpty()) {
                b.header("If-None-Match", kept.etag());
            }
            if (kept != null && !kept.lastModified().isEmpty()) {
                b.header("If-Modified-Since", kept.lastModified());
            }
            String failure;
            long retryAfterMs = -1;
            try {
                HttpResponse<byte[]> r = exchange(b.build(), s, info -> body(uri, info, image, limit));
                int status = r.statusCode();
                if (status == 304 && kept != null) {
                    LOG.debug("{}: not modified", uri);
                    return new Fetched(r.uri(), kept.contentType(), kept.charset().isEmpty() ? null : kept.charset(), kept.body(), true);
                }
                if (status / 100 == 2) {
                    return accepted(uri, r, image, keep);
                }
                if (REDIRECTS.contains(status)) {
                    // followed here, not by the client: each hop is paced and checked against its site's robots.txt
                    at = redirect(uri, at, r, ++hops, s);
                    attempt = 0;
                    continue;
                }
                if (status != 429 && status / 100 != 5) {
                    throw new KonomiException(uri + ": HTTP " + status + (at.equals(uri) ? "" : " (redirected to " + at + ")"));
                }
                failure = "HTTP " + status;
                retryAfterMs = retryAfter(r.headers().firstValue("Retry-After").orElse(null));
                if (retryAfterMs > Settings.MAX_RETRY_AFTER_MS) {
                    throw new KonomiException(uri + ": HTTP " + status + ", asked to retry after " + retryAfterMs / 1000 + " s");
                }
            } catch (TimeoutException e) {
                failure = "timed out";
            } catch (IOException e) {
                failure = "cannot connect (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            }
            if (attempt >= tries) {
                throw new KonomiException(uri + ": " + failure + (tries > 1 ? " after " + tries + " tries" : "")
                        + (failure.equals("timed out") ? " (" + s.requestTimeoutMs() + " ms each)" : ""));
            }
            long backoff = s.retryBaseMs() << Math.min(attempt - 1, 20);
            long wait = Math.max(backoff, retryAfterMs);
            LOG.info("{}: {}, try {} of {} in {} ms", uri, failure, attempt + 1, tries, wait);
            TimeUnit.MILLISECONDS.sleep(wait);
        }
    }

    /** Where a redirect leads, checked: a valid http(s) Location, no https-to-http step, few hops, allowed by robots.txt. */
    private URI redirect(URI uri, URI at, HttpResponse<?> r, int hops, Settings s) throws InterruptedException {
        String location = r.headers().firstValue("Location").orElse("");
        URI next;
        try {
            next = at.resolve(location.strip().replace(" ", "%20"));
        } catch (IllegalArgumentException e) {
            next = null;
        }
        String scheme = next == null || next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (location.isBlank() || next == null || next.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new KonomiException(uri + ": HTTP " + r.statusCode() + " without a usable Location (" + location + ")");
        }
        if (hops > MAX_REDIRECTS) {
            throw new KonomiException(uri + ": more than " + MAX_REDIRECTS + " redirects");
        }
        if (at.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
            throw new KonomiException(uri + ": redirected from https to http (" + next + ")");
        }
        String refused = robots.refusal(next, s.robotName(), txt -> robotsTxt(txt, s));
        if (refused != null) {
            throw new KonomiException(uri + ": redirected to " + next + ", which " + refused.replace("robots.txt disallows it", "robots.txt disallows"));
        }
        LOG.debug("{}: HTTP {} to {}", at, r.statusCode(), next);
        return next;
    }

    /**
     * One exchange, paced per host, within the request deadline for headers and body together.
     *
     * @throws TimeoutException  the deadline passed (the exchange is cancelled)
     * @throws IOException       the connection failed
     * @throws KonomiException   the body was refused (type, size)
     */
    private <T> HttpResponse<T> exchange(HttpRequest req, Settings s, HttpResponse.BodyHandler<T> handler)
            throws InterruptedException, TimeoutException, IOException {
        URI uri = req.uri();
        pacer.await(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority(), s.hostDelayMs());
        CompletableFuture<HttpResponse<T>> f = client.sendAsync(req, handler);
        try {
            return f.get(s.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof KonomiException k) {
                throw k;
            }
            if (c instanceof HttpTimeoutException) {
                throw new TimeoutException(c.getMessage());
            }
            if (c instanceof IOException io) {
                // a refusal raised in the body subscriber may arrive wrapped in an IOException
                if (io.getCause() instanceof KonomiException k) {
                    throw k;
                }
                throw io;
            }
            throw new KonomiException(uri + ": " + c, c);
        }
    }

    /** Decides from the headers alone whether to read the body, and reads at most the limit. */
    private static BodySubscriber<byte[]> body(URI uri, HttpResponse.ResponseInfo info, boolean image, long limit) {
        if (info.statusCode() / 100 != 2) {
            return BodySubscribers.replacing(null);
        }
        String type = mediaType(info.headers().firstValue("Content-Type").orElse(""));
        if (image && !imageType(type)) {
            return LimitedBody.refuse(new KonomiException(uri + ": not an image (" + type + ")"));
        }
        if (!image && !documentType(type)) {
            return LimitedBody.refuse(new KonomiException(uri + ": not a page or feed (" + type + ")"));
        }
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > limit) {
            return LimitedBody.refuse(new KonomiException(uri + ": larger than " + Settings.size(limit) + " (" + Settings.size(declared) + ")"));
        }
        return new LimitedBody(limit, () -> new KonomiException(uri + ": larger than " + Settings.size(limit)));
    }

    private Fetched accepted(URI uri, HttpResponse<byte[]> r, boolean image, ValidatorStore keep) {
        byte[] body = r.body();
        String header = r.headers().firstValue("Content-Type").orElse("");
        String type = mediaType(header);
        String charset = charset(header);
        if (image && ImageHeader.format(body) == null) {
            throw new KonomiException(uri + ": not an image (" + (type.isEmpty() ? "no content type" : type)
                    + ", and the content has no JPEG, PNG, GIF, BMP or WebP header)");
        }
        if (keep != null) {
            String etag = r.headers().firstValue("ETag").orElse("");
            String lastModified = r.headers().firstValue("Last-Modified").orElse("");
            if (!etag.isEmpty() || !lastModified.isEmpty()) {
                keep.save(uri, new ValidatorStore.Kept(etag, lastModified, type, charset == null ? "" : charset, body));
            }
        }
        return new Fetched(r.uri(), type, charset, body, false);
    }

    private Robots.Answer robotsTxt(URI txt, Settings s) throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(txt).timeout(Duration.ofMillis(s.requestTimeoutMs())).header("User-Agent", s.userAgent())
                .header("Accept", "text/plain, */*;q=0.5").build();
        try {
            HttpResponse<byte[]> r = exchange(req, s, info -> info.statusCode() / 100 == 2
                    ? new LimitedBody(ROBOTS_MAX_BYTES, () -> new KonomiException(txt + ": larger than " + Settings.size(ROBOTS_MAX_BYTES)))
                    : BodySubscribers.replacing(null));
            return new Robots.Answer(r.statusCode(), r.body() == null ? new byte[0] : r.body(),
                    mediaType(r.headers().firstValue("Content-Type").orElse("text/plain")));
        } catch (TimeoutException | IOException | KonomiException e) {
            LOG.info("{}: cannot read it ({}); fetching as if there were none", txt, e instanceof TimeoutException ? "timed out" : e.getMessage());
            return new Robots.Answer(-1, null, null);
        }
    }

    static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    static String charset(String contentType) {
        for (String p : contentType.split(";")) {
            String t = p.strip();
            if (t.regionMatches(true, 0, "charset=", 0, 8)) {
                return t.substring(8).replace("\"", "").strip();
            }
        }
        return null;
    }

    /** image/*, a generic binary type or none: the image header decides. */
    static boolean imageType(String type) {
        return type.isEmpty() || type.startsWith("image/") || type.equals("application/octet-stream") || type.equals("binary/octet-stream");
    }

    static boolean documentType(String type) {
        return type.isEmpty() || type.startsWith("text/") || type.equals("application/xml") || type.equals("application/rss+xml")
                || type.equals("application/atom+xml") || type.equals("application/xhtml+xml") || type.equals("application/rdf+xml");
    }

    /** Retry-After in milliseconds (delta seconds or an HTTP date), or -1 when absent or unreadable. */
    static long retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.strip();
        try {
            return Math.max(0, Long.parseLong(v)) * 1000;
        } catch (NumberFormatException e) {
            try {
                return Math.max(0, Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis());
            } catch (DateTimeParseException e2) {
                return -1;
            }
        }
    }
}
