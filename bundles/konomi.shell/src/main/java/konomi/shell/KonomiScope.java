package konomi.shell;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.osgi.service.component.annotations.Component;

/**
 * Makes plain {@code help} (and {@code info}) Konomi's: Gogo resolves an unscoped name through the session's
 * {@code SCOPE} list, and its {@code *} entry walks a hash map, so {@code help} could be {@code felix:help} or
 * {@code konomi:help} depending on how many commands are registered. Sessions that kept Gogo's default scope
 * (none, or the stock profile's {@code gogo:*}) get {@code konomi} searched first (Gogo has a {@code gogo:help} too); a scope the
 * user set is left alone.
 */
@Component
public class KonomiScope implements CommandSessionListener {
    static final String SCOPE = "SCOPE", DEFAULT = "gogo:*", KONOMI_FIRST = "konomi:gogo:*";

    @Override
    public void beforeExecute(CommandSession session, CharSequence commandline) {
        Object scope = session.get(SCOPE);
        if (scope == null || DEFAULT.equals(scope)) {
            session.put(SCOPE, KONOMI_FIRST);
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence commandline, Exception exception) {
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence commandline, Object result) {
    }
}
