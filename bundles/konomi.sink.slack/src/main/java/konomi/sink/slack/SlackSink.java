package konomi.sink.slack;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.commons.text.StringSubstitutor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import konomi.api.Image;
import konomi.api.KonomiException;
import konomi.api.catalog.Catalog;
import konomi.api.catalog.Pending;
import konomi.api.sink.ImageResult;
import konomi.api.sink.ResultSink;
import konomi.api.sink.RunInfo;
import konomi.api.sink.RunSummary;

/**
 * {@code --sink slack}: one post per image with a face to a Slack incoming webhook, from a template. The catalog
 * makes it exactly-once across runs: a picture (or a resized repost of it) already sent is not sent again, and a
 * post that still fails after the retries is kept in the catalog and sent first by the next run.
 *
 * <p>The settings are read from ConfigurationAdmin when a run opens, not bound by DS: DS would copy
 * {@code webhookUrl}, a secret, onto the service's properties, where any shell user could list it.
 */
@Component(property = {ResultSink.NAME + "=" + SlackSink.NAME, ResultSink.OUTPUT + "=" + ResultSink.OUTPUT_NONE})
public class SlackSink implements ResultSink {
    static final String NAME = "slack";
    static final String DEFAULT_TEMPLATE = "*${score}* ${label} <${link}|${name}>";
    private static final JsonFactory JSON = new JsonFactory();

    private final Catalog catalog;
    private final Supplier<SlackConfig> settings;
    private final String cfgFile;

    @Activate
    public SlackSink(@Reference Catalog catalog, @Reference ConfigurationAdmin configs, BundleContext context) {
        this(catalog, () -> SlackSettings.read(configs), cfgFile(context.getProperty("konomi.etc")));
    }

    SlackSink(Catalog catalog, Supplier<SlackConfig> settings, String cfgFile) {
        this.catalog = catalog;
        this.settings = settings;
        this.cfgFile = cfgFile;
    }

    static String cfgFile(String etc) {
        return (etc == null ? "etc" : etc) + "/" + SlackConfig.PID + ".cfg";
    }

    /** The configured URL when it is an http(s) one, else null. */
    private static URI httpUrl(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI u = new URI(value.trim());
            return ("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null ? u : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    @Override
    public Session open(RunInfo run) {
        SlackConfig config = settings.get();
        URI url = httpUrl(config.webhookUrl());
        if (url == null) {
            // never echo the value: it is a secret even when mistyped
            throw new KonomiException(cfgFile + ": " + (config.webhookUrl().isBlank() ? "no webhookUrl set (the Slack incoming webhook to post to)"
                    : "webhookUrl is not an http(s) URL"));
        }
        SlackSession s = new SlackSession(run, config, new Webhook(url, config));
        s.retryKept();
        return s;
    }

    /** The JSON body Slack expects: {"text": ...}. */
    static String message(String text) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("text", text);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** The template with this image's values; absent values become empty and doubled spaces collapse. */
    static String text(String template, ImageResult r, RunInfo run) {
        Map<String, String> v = new HashMap<>();
        v.put("link", r.location() == null ? r.id() : r.location().toString());
        Path name = r.location() != null && r.location().getPath() != null ? Path.of(r.location().getPath()).getFileName() : null;
        v.put("name", name == null ? r.id() : name.toString());
        v.put("id", r.id());
        v.put("score", r.score() == null ? "" : String.format(Locale.ROOT, "%.2f", r.score()));
        v.put("label", r.label() == null ? "" : r.label());
        v.put("faces", String.valueOf(r.faces().size()));
        v.put("scorer", run.scorers().isEmpty() ? "" : run.scorers().get(0).name());
        v.put("source", run.source());
        return new StringSubstitutor(v).replace(template).replaceAll(" {2,}", " ").strip();
    }

    /** One run: posts as results come (the rate limiter spaces them), counts for the note. */
    private final class SlackSession implements Session {
        private final RunInfo run;
        private final SlackConfig config;
        private final Webhook webhook;
        private int posted, again, kept, resent;
        private String lastError;

        SlackSession(RunInfo run, SlackConfig config, Webhook webhook) {
            this.run = run;
            this.config = config;
            this.webhook = webhook;
        }

        /** Posts kept by earlier runs go first, oldest first. */
        void retryKept() {
            List<Pending> pending = catalog.pending(NAME);
            for (Pending p : pending) {
                if (catalog.wasSent(p.location(), NAME)) {
                    catalog.dropPending(p.id());
                    continue;
                }
                String error = post(p.payload());
                if (error == null) {
                    catalog.markSent(p.location(), NAME, "retried");
                    catalog.dropPending(p.id());
                    resent++;
                } else {
                    catalog.keepPending(p.location(), NAME, p.payload(), error);
                    kept++;
                    lastError = error;
                }
            }
        }

        @Override
        public void accept(ImageResult result, Image image) {
            if (result.failed() || result.faces().isEmpty() || result.location() == null) {
                return;
            }
            if (catalog.wasSent(result.location(), NAME)) {
                again++;
                return;
            }
            String payload = message(text(config.template(), result, run));
            String error = post(payload);
            if (error == null) {
                catalog.markSent(result.location(), NAME, "posted");
                posted++;
            } else {
                catalog.keepPending(result.location(), NAME, payload, error);
                kept++;
                lastError = error;
            }
        }

        private String post(String payload) {
            try {
                return webhook.post(payload);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KonomiException("slack: interrupted while posting (the post is kept for the next run)");
            }
        }

        @Override
        public void complete(RunSummary summary) {
            // every post is sent or kept as it comes: nothing is left to commit
        }

        @Override
        public String note() {
            StringBuilder b = new StringBuilder("slack: ").append(posted).append(" posted");
            if (resent > 0) {
                b.append(", ").append(resent).append(" kept from earlier runs sent");
            }
            if (again > 0) {
                b.append(", ").append(again).append(" sent before, skipped");
            }
            if (kept > 0) {
                b.append(", ").append(kept).append(" failed and kept for the next run (last: ").append(lastError).append(')');
            }
            return b.toString();
        }

        @Override
        public void close() {
        }
    }
}
