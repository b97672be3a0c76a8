/**
 * What generator trainers and generator bundles share: the generator and discriminator networks, one adversarial
 * training step on DL4J's external-error backprop (DCGAN or hinge loss), spectral normalisation, differentiable
 * augmentation, weight averaging, the Fréchet distance and KID on features, and samples as images.
 */
@Export
@Version("0.2.0")
package konomi.nn.gan;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
