/**
 * One helper for each chore every bundle has: writing files atomically, escaping HTML, formatting durations.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package konomi.util;
