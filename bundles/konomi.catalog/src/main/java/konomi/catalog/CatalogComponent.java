package konomi.catalog;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import konomi.api.KonomiException;
import konomi.api.catalog.Catalog;
import konomi.api.catalog.CatalogEntry;
import konomi.api.catalog.CatalogQuery;
import konomi.api.catalog.CatalogStats;
import konomi.api.catalog.Pending;
import konomi.api.catalog.Sighting;

/**
 * The {@link Catalog} service. Configuration {@code konomi.catalog} (optional; {@code <home>/etc/konomi.catalog.cfg}):
 * {@code url}, {@code user}, {@code password}, {@code duplicateDistance}; a change restarts the component on the new
 * database. The database is opened (and migrated) on first use, so a wrong URL or a database that is down does not
 * keep the service away: every call then fails with one line naming the .cfg file or the database, and a later call
 * tries again.
 */
@Component(service = Catalog.class, configurationPid = CatalogConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CatalogConfig.class)
public class CatalogComponent implements Catalog {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogComponent.class);

    private Settings settings;
    private KonomiException configError;
    private JdbcCatalog catalog;
    private boolean closed;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        String where = file == null ? CatalogConfig.PID + " configuration" : file.toString().replaceFirst("^file:", "");
        String home = context.getProperty("konomi.home");
        try {
            settings = Settings.from(properties, where, home == null ? null : Path.of(home));
            LOG.info("catalog: {}", settings);
        } catch (KonomiException e) {
            configError = e;
            LOG.error(e.getMessage());
        }
    }

    @Deactivate
    synchronized void deactivate() {
        closed = true;
        if (catalog != null) {
            catalog.close();
            catalog = null;
        }
    }

    /** The open catalog, opening it on first use (serialised: one open at a time, and only one succeeds). */
    private synchronized JdbcCatalog catalog() {
        if (configError != null) {
            throw configError;
        }
        if (closed) {
            throw new KonomiException("catalog " + settings.url() + ": the catalog service was stopped");
        }
        if (catalog == null) {
            catalog = JdbcCatalog.open(settings, CatalogComponent.class.getClassLoader());
        }
        return catalog;
    }

    @Override
    public void open() {
        try {
            catalog();
        } catch (KonomiException e) {
            LOG.debug("catalog not opened ahead: {}", e.getMessage()); // the call that needs it says why
        }
    }

    @Override
    public boolean seen(URI location) {
        return catalog().seen(location);
    }

    @Override
    public Optional<CatalogEntry> duplicateOf(long phash) {
        return catalog().duplicateOf(phash);
    }

    @Override
    public long record(Sighting sighting) {
        return catalog().record(sighting);
    }

    @Override
    public List<Long> recordAll(List<Sighting> sightings) {
        return catalog().recordAll(sightings);
    }

    @Override
    public boolean wasSent(URI location, String sink) {
        return catalog().wasSent(location, sink);
    }

    @Override
    public void markSent(URI location, String sink, String detail) {
        catalog().markSent(location, sink, detail);
    }

    @Override
    public void keepPending(URI location, String sink, String payload, String error) {
        catalog().keepPending(location, sink, payload, error);
    }

    @Override
    public List<Pending> pending(String sink) {
        return catalog().pending(sink);
    }

    @Override
    public void dropPending(long pendingId) {
        catalog().dropPending(pendingId);
    }

    @Override
    public List<CatalogEntry> list(CatalogQuery query) {
        return catalog().list(query);
    }

    @Override
    public CatalogStats stats() {
        return catalog().stats();
    }
}
