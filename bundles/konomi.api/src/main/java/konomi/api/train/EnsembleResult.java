package konomi.api.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link Ensembler#pack} wrote and measured.
 *
 * @param validation the ensemble on the members' validation part: {@code loss}, {@code accuracy}, {@code top3},
 *                   {@code calibration_error}, {@code n}
 * @param test       the same on their test part (reported only); empty without one
 * @param names      each member's run folder, as given or as the re-packed ensemble recorded it
 * @param members    each member's figures, in the same order: {@code validation_<name>} and {@code test_<name>} (as
 *                   recorded when an ensemble is packed again)
 * @param model      the packed network ({@code model.zip})
 * @param bytes      its size in bytes
 * @param json       {@code ensemble.json}, the record of all of this
 * @since 0.18 ({@code names} 0.19)
 */
public record EnsembleResult(Map<String, Double> validation, Map<String, Double> test, List<String> names, List<Map<String, Double>> members, Path model,
                             long bytes, Path json) {
    public EnsembleResult {
        names = List.copyOf(names);
        validation = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(validation));
        test = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(test));
        members = members.stream().map(m -> java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m))).toList();
    }
}
