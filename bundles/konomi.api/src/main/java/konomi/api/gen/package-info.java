/** Generating images: generators, face transformers, their trainers and input visualisation (unstable until 1.0). */
@Export
@Version("0.2.0")
package konomi.api.gen;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
