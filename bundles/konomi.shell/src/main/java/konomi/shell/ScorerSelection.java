package konomi.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.KonomiException;
import konomi.api.Scorer;

/**
 * The installed scorers by name. A name resolves to its highest-ranked service, i.e. the newest version
 * of that model, so a newer bundle dropped into deploy/ is used by the next score:run.
 */
@Component(service = ScorerSelection.class)
public class ScorerSelection {
    record Bound(Scorer scorer, Map<String, Object> props) {
        String name() {
            return String.valueOf(props.get("konomi.name"));
        }

        String version() {
            return String.valueOf(props.getOrDefault("konomi.version", ""));
        }

        String type() {
            return String.valueOf(props.getOrDefault("konomi.type", ""));
        }

        int ranking() {
            return props.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
        }
    }

    private final List<Bound> all = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addScorer(Scorer s, Map<String, Object> props) {
        all.add(new Bound(s, props));
    }

    void removeScorer(Scorer s) {
        all.removeIf(b -> b.scorer == s);
    }

    List<Bound> all() {
        return all.stream().sorted(Comparator.comparing(Bound::name).thenComparing(Comparator.comparingInt(Bound::ranking).reversed())).toList();
    }

    /** Resolves names, waiting a little at start-up for scorers still being loaded. */
    List<Bound> resolve(List<String> names) {
        long deadline = System.currentTimeMillis() + DetectorSelection.WAIT_MS;
        while (true) {
            List<Bound> found = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String n : names) {
                all.stream().filter(b -> b.name().equals(n)).max(Comparator.comparingInt(Bound::ranking))
                        .ifPresentOrElse(found::add, () -> missing.add(n));
            }
            if (missing.isEmpty()) {
                return found;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new KonomiException("no scorer named " + String.join(", ", missing) + "; installed: "
                        + all.stream().map(Bound::name).distinct().sorted().collect(Collectors.joining(", ")));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KonomiException("interrupted");
            }
        }
    }
}
