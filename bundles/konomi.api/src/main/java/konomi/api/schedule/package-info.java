/**
 * Cron schedules of command lines or scripts, persisted in the Konomi home and run inside {@code konomi serve}
 * (unstable until 1.0).
 */
@Export
@Version("0.1.0")
package konomi.api.schedule;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
