package konomi.gen.cae;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import konomi.api.KonomiException;
import konomi.api.gen.GenTrainListener;
import konomi.api.gen.GenTrainOptions;
import konomi.api.gen.GenTrainResult;
import konomi.api.gen.GeneratorTrainer;
import konomi.api.model.ModelDescriptor;
import konomi.api.model.ModelRegistry;
import konomi.api.model.ModelStatus;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;

/** Trains conditional adversarial autoencoders ({@code gen:train --type cae}); the judge is an installed classifier. */
@Component(service = GeneratorTrainer.class, property = GeneratorTrainer.TYPE + "=cae")
public class CaeTrainer implements GeneratorTrainer {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelRegistry models;

    @Override
    public GenTrainResult train(List<Path> datasets, Path output, GenTrainOptions options, GenTrainListener listener) {
        try {
            return new CaeRun(datasets, output, options, listener, judge(options.features(), listener)).run();
        } catch (IOException e) {
            throw new KonomiException(output + ": " + e.getMessage(), e);
        }
    }

    private CaeRun.Judge judge(String name, GenTrainListener listener) {
        ModelRegistry r = models;
        ModelDescriptor d = r == null ? null : r.models().stream().filter(s -> s.state() == ModelStatus.State.ACTIVE).map(ModelStatus::descriptor)
                .filter(x -> x != null && x.kind().equals("scorer") && x.type().equals("classification") && x.name().equals(name))
                .reduce((a, b) -> b).orElse(null);
        if (d == null) {
            listener.message("no installed classifier " + name + ": agreement is not measured");
            return null;
        }
        Map<String, String> header = new HashMap<>(d.attributes());
        header.put("input", d.input());
        ModelMeta meta = ModelMeta.fromHeader(d.type(), header);
        Path file = r.modelFile("scorer", name).orElseThrow(() -> new KonomiException(name + ": its model file is gone"));
        try {
            org.deeplearning4j.nn.api.Model net = Nets.restoreModel(file.toFile(), false); // a layer network or a graph
            listener.message("judge of redrawn faces: classifier " + name + " (" + meta.labels().size() + " labels)");
            return new CaeRun.Judge(net, meta.size(), meta.labels());
        } catch (IOException | RuntimeException e) {
            throw new KonomiException("--features " + name + ": cannot load its network (" + e.getMessage() + ")");
        }
    }
}
