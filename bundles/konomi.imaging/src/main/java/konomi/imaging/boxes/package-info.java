/** Labelled face boxes (boxes.csv, YOLO text labels) and detection quality (AP, precision-recall). */
@Export
@Version("0.1.0")
package konomi.imaging.boxes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
