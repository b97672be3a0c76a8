package konomi.model.extender;

import java.net.URL;
import java.net.URLConnection;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.url.AbstractURLStreamHandlerService;
import org.osgi.service.url.URLConstants;
import org.osgi.service.url.URLStreamHandlerService;

/**
 * Makes {@code konomi-cascade:} URLs work everywhere in the framework (e.g. {@code bundle.update()} without a
 * stream, or a Gogo {@code install konomi-cascade:file:...}), not only those FileInstall gets from
 * {@link CascadeXmlTransformer}.
 */
@Component(service = URLStreamHandlerService.class, property = URLConstants.URL_HANDLER_PROTOCOL + "=" + CascadeBundles.PROTOCOL)
public class CascadeUrlHandler extends AbstractURLStreamHandlerService {
    @Override
    public URLConnection openConnection(URL u) {
        return CascadeBundles.connection(u);
    }
}
