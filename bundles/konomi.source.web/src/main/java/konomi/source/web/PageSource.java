package konomi.source.web;

import java.net.URI;
import java.util.stream.Stream;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import konomi.api.ImageSource;
import konomi.api.ServiceProps;
import konomi.api.SourceItem;
import konomi.api.fetch.Fetcher;
import konomi.source.web.common.HttpUrls;
import konomi.source.web.common.WebItem;

/**
 * The images an http(s) page shows or links ({@link konomi.source.web.common.HtmlImages}), in page order. It ranks
 * below the feed source, which hands it any http(s) location that turns out to be a page.
 */
@Component(property = {ServiceProps.NAME + "=" + PageSource.NAME, Constants.SERVICE_RANKING + ":Integer=" + PageSource.RANKING})
public class PageSource implements ImageSource {
    static final String NAME = "web";
    static final int RANKING = 0;

    @Reference
    Fetcher fetcher;

    public PageSource() {
    }

    PageSource(Fetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean accepts(String location) {
        return HttpUrls.parse(location) != null;
    }

    @Override
    public Stream<SourceItem> open(String location) {
        URI page = HttpUrls.require(location);
        return Pages.images(fetcher, page).stream().map(u -> new WebItem(u, fetcher));
    }
}
