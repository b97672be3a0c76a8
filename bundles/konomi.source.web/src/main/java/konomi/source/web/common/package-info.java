/**
 * What the web and feed sources share: finding the images an HTML page (or a feed item's HTML) shows or links,
 * and the item that fetches one image when read
 * (unstable until 1.0).
 */
@Export
@Version("0.3.0")
package konomi.source.web.common;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
