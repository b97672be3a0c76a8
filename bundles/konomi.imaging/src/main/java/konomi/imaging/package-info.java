/** Image decoding and pixel conversions shared by detectors, scorers and reports (OpenCV through JavaCV). */
@Export
@Version("0.4.0")
package konomi.imaging;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
