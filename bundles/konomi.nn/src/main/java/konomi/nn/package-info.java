/**
 * What trainer and scorers must agree on: the network architectures, the image-to-tensor conversion and
 * the model description ({@code model.json}) written beside a trained model.
 */
@Export
@Version("0.9.0")
package konomi.nn;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
