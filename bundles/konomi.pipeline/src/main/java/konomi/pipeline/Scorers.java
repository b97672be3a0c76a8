package konomi.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.KonomiException;
import konomi.api.Scorer;
import konomi.api.pipeline.ScorerChoice;
import konomi.api.sink.ModelRef;

/**
 * The installed scorers by name. A name resolves to its highest-ranked service, i.e. the newest version of that
 * model, so a newer bundle dropped into deploy/ is used by the next run.
 */
@Component(service = {ScorerChoice.class, Scorers.class})
public class Scorers implements ScorerChoice {
    private final Changes changes = new Changes();
    private final List<Bound<Scorer>> all = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addScorer(Scorer s, Map<String, Object> props) {
        all.add(new Bound<>(s, props));
        changes.signal();
    }

    void removeScorer(Scorer s) {
        all.removeIf(b -> b.service() == s);
        changes.signal();
    }

    @Override
    public List<ModelRef> installed() {
        return all.stream().sorted(Bound.byNameNewestFirst()).map(Bound::ref).toList();
    }

    /**
     * The newest scorer of each name, in the order given; waits for those still being loaded, at most
     * {@link Detectors#WAIT_MS}.
     */
    List<Bound<Scorer>> resolve(List<String> names) {
        List<Bound<Scorer>> found = changes.await(() -> {
            List<Bound<Scorer>> r = new ArrayList<>();
            for (String n : names) {
                Bound<Scorer> b = newest(n);
                if (b == null) {
                    return null;
                }
                r.add(b);
            }
            return r;
        }, Detectors.WAIT_MS);
        if (found != null) {
            return found;
        }
        List<String> missing = names.stream().filter(n -> newest(n) == null).toList();
        throw new KonomiException("no scorer named " + String.join(", ", missing) + "; installed: "
                + all.stream().map(Bound::name).distinct().sorted().collect(Collectors.joining(", ")));
    }

    private Bound<Scorer> newest(String name) {
        return all.stream().filter(b -> b.name().equals(name)).max(Comparator.comparingInt(Bound::ranking)).orElse(null);
    }
}
