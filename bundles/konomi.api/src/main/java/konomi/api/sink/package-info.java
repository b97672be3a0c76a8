/** Where results go: reports, webhooks, folders (unstable until 1.0). */
@Export
@Version("0.1.0")
package konomi.api.sink;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
