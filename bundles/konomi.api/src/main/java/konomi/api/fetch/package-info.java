/**
 * Fetching over HTTP(S) for the web sources, politely (per-host delay, robots.txt, a User-Agent naming Konomi),
 * safely (size limit, content-type and image-header checks, timeouts, retries with back-off) and cheaply
 * (conditional requests) (unstable until 1.0).
 */
@Export
@Version("0.1.0")
package konomi.api.fetch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
