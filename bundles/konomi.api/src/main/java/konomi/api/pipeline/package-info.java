/**
 * The scoring pipeline as a service: source, detector, crop, scorers, sinks (unstable until 1.0). Also which
 * detector and scorers a run uses, and detector evaluation against labelled boxes.
 */
@Export
@Version("0.3.0")
package konomi.api.pipeline;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
