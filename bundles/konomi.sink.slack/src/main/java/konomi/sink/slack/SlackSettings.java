package konomi.sink.slack;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Dictionary;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import konomi.api.KonomiException;

/** The Slack settings as they are now in ConfigurationAdmin (from etc/konomi.sink.slack.cfg), defaults filled in. */
final class SlackSettings {
    private SlackSettings() {
    }

    static SlackConfig read(ConfigurationAdmin configs) {
        Dictionary<String, Object> props = null;
        try {
            // listConfigurations does not create an empty configuration the way getConfiguration would
            Configuration[] found = configs.listConfigurations("(service.pid=" + SlackConfig.PID + ")");
            if (found != null && found.length > 0) {
                props = found[0].getProperties();
            }
        } catch (IOException | InvalidSyntaxException e) {
            throw new KonomiException("slack: cannot read the configuration " + SlackConfig.PID + ": " + e.getMessage(), e);
        }
        return of(props);
    }

    /** Values given as strings (a .cfg file) or as their own types; absent ones take the annotation's defaults. */
    static SlackConfig of(Dictionary<String, ?> props) {
        return (SlackConfig) Proxy.newProxyInstance(SlackConfig.class.getClassLoader(), new Class<?>[] {SlackConfig.class},
                (proxy, m, args) -> value(m, props == null ? null : props.get(m.getName())));
    }

    private static Object value(Method m, Object v) {
        if (m.getName().equals("annotationType")) {
            return SlackConfig.class;
        }
        if (m.getDeclaringClass() == Object.class) {
            return m.getName().equals("toString") ? "SlackConfig" : null;
        }
        if (v == null || v.toString().isBlank()) {
            return m.getDefaultValue();
        }
        Class<?> t = m.getReturnType();
        try {
            if (t == long.class) {
                return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
            }
            if (t == int.class) {
                return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
            }
        } catch (NumberFormatException e) {
            throw new KonomiException(SlackConfig.PID + ".cfg: " + m.getName() + " must be a whole number, not '" + v + "'");
        }
        return v.toString();
    }
}
