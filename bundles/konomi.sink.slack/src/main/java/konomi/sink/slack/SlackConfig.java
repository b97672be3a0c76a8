package konomi.sink.slack;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The Slack sink's settings ({@code etc/konomi.sink.slack.cfg}). */
@ObjectClassDefinition(id = SlackConfig.PID, name = "Konomi Slack sink", description = "Posts chosen images to a Slack incoming webhook")
public @interface SlackConfig {
    String PID = "konomi.sink.slack";

    @AttributeDefinition(description = "The incoming webhook URL (a secret: never printed or logged)")
    String webhookUrl() default "";

    @AttributeDefinition(description = "Message text; ${link} ${name} ${id} ${score} ${label} ${faces} ${scorer} ${source} are replaced")
    String template() default SlackSink.DEFAULT_TEMPLATE;

    @AttributeDefinition(description = "Least time between two posts, in ms (Slack allows about one message a second per webhook)")
    long minIntervalMs() default 1000;

    @AttributeDefinition(description = "Retries of a post that fails with 429, 5xx or a network error, before it is kept for the next run")
    int retries() default 3;

    @AttributeDefinition(description = "First back-off between retries, in ms (doubling); a Retry-After header wins")
    long backoffMs() default 1000;

    @AttributeDefinition(description = "Longest wait before one retry, in ms (a longer Retry-After keeps the post for the next run)")
    long maxBackoffMs() default 60000;

    @AttributeDefinition(description = "Time limit of one request, in ms")
    long timeoutMs() default 15000;
}
