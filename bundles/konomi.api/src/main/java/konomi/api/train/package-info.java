/** Training networks (unstable until 1.0). */
@Export
@Version("0.3.0")
package konomi.api.train;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
