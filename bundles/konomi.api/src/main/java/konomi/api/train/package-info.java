/**
 * Training networks: separate services to train, cross-validate, find a learning rate, evaluate, calibrate, pack ensembles and make composite
 * detector pictures, each taking typed options and returning typed results (unstable until 1.0).
 */
@Export
@Version("0.19.0")
package konomi.api.train;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
