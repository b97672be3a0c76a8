package konomi.pipeline;

import java.util.Map;

import org.osgi.framework.Constants;

import konomi.api.ServiceProps;
import konomi.api.sink.ModelRef;

/** A detector or scorer service with its properties, as bound by DS. */
record Bound<S>(S service, Map<String, Object> props) {
    String name() {
        return String.valueOf(props.get(ServiceProps.NAME));
    }

    int ranking() {
        return props.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    long serviceId() {
        return props.get(Constants.SERVICE_ID) instanceof Long l ? l : -1;
    }

    ModelRef ref() {
        return new ModelRef(name(), str(ServiceProps.VERSION), str(ServiceProps.TYPE), str(ServiceProps.MODEL_BUNDLE));
    }

    private String str(String key) {
        Object v = props.get(key);
        return v == null ? "" : v.toString();
    }

    /** By name, then newest (highest ranking) first. */
    static <S> java.util.Comparator<Bound<S>> byNameNewestFirst() {
        return java.util.Comparator.comparing((Bound<S> b) -> b.name())
                .thenComparing(java.util.Comparator.comparingInt((Bound<S> b) -> b.ranking()).reversed())
                .thenComparing(java.util.Comparator.comparingLong((Bound<S> b) -> b.serviceId()).reversed());
    }
}
