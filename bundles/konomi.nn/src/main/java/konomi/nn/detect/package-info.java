/**
 * The CNN face detector that trainer and detector bundle share: its description ({@code model.json} and the
 * {@code Konomi-Model} header), the network, how a picture becomes its input and how its output becomes boxes.
 */
@Export
@Version("0.1.0")
package konomi.nn.detect;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
