/**
 * The catalog: every image Konomi has seen (where from, its perceptual hash, faces, scores per scorer version,
 * when) and where it was sent, so that runs can skip what they saw before and sinks never send a picture twice
 * (unstable until 1.0).
 */
@Export
@Version("0.3.0")
package konomi.api.catalog;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
