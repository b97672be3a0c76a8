/**
 * Where results go: reports, webhooks, folders (unstable until 1.0). Sinks are services (whiteboard) chosen by
 * their {@link konomi.api.sink.ResultSink#NAME} property; each run opens its own {@link konomi.api.sink.ResultSink.Session}.
 */
@Export
@Version("0.3.0")
package konomi.api.sink;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
