package konomi.launcher;

import org.apache.felix.framework.Logger;
import org.slf4j.LoggerFactory;

/** Sends the framework's own log to the Konomi log file instead of standard output. */
final class FelixLog extends Logger {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("felix");

    @Override
    protected void doLogOut(int level, String s, Throwable t) {
        switch (level) {
            case LOG_ERROR -> LOG.error(s, t);
            case LOG_WARNING -> LOG.warn(s, t);
            case LOG_INFO -> LOG.info(s, t);
            default -> LOG.debug(s, t);
        }
    }
}
