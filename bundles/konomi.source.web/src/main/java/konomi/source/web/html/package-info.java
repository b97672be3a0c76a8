/**
 * Finding the images an HTML page (or a feed item's HTML) shows or links, for the web and feed sources
 * (unstable until 1.0).
 */
@Export
@Version("0.1.0")
package konomi.source.web.html;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
