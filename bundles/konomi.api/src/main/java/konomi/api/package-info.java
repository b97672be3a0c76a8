/**
 * Konomi's core service interfaces and value types: images and where they come from, face detectors,
 * scorers, and the model bundles that provide them.
 */
@Export
@Version("1.2.0")
package konomi.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
