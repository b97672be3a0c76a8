/**
 * Model bundles: data-only bundles whose {@code Konomi-Model} manifest header describes the model file
 * they carry. The {@code konomi.model.extender} extender reads them and asks a matching {@link ModelFactory} to
 * turn each into a service.
 */
@Export
@Version("1.2.0")
package konomi.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
