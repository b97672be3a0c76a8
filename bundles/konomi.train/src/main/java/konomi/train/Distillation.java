package konomi.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

import konomi.api.KonomiException;
import konomi.nn.FoldedNet;
import konomi.nn.ModelMeta;
import konomi.nn.Nets;

/**
 * Knowledge distillation (Hinton et al. 2015; with a teacher of the student's own shape, "born-again networks",
 * Furlanello et al. 2018): each training batch's target becomes {@code (1 - share) * labels + share * teacher}, where
 * the teacher's probabilities on the same augmented pictures are softened to {@code p^(1/T)}, renormalised (the
 * softmax of its logits at temperature T). Several teachers are an ensemble: the mean of their probabilities is the
 * teacher (Hinton et al.'s way of putting an ensemble into one network that scores at one network's cost). Teachers
 * run with their batch norms folded (inference only).
 */
final class Distillation {
    private final List<Model> teachers;
    private final double share, inverseT;

    Distillation(List<Model> teachers, double share, double temperature) {
        this.teachers = List.copyOf(teachers);
        this.share = share;
        this.inverseT = 1 / temperature;
    }

    /** Loads the teachers at {@code files}, refusing one that does not predict {@code labels} at this input size. */
    static Distillation load(List<Path> files, List<String> labels, int size, double share, double temperature) {
        return new Distillation(files.stream().map(f -> teacher(f, labels, size)).toList(), share, temperature);
    }

    private static Model teacher(Path file, List<String> labels, int size) {
        Path meta = file.resolveSibling("model.json");
        if (Files.isRegularFile(meta)) {
            ModelMeta m = ModelMeta.read(meta);
            if (!m.task().equals("classification") || !m.labels().equals(labels) || m.size() != size) {
                throw new KonomiException("--teacher " + file + ": predicts " + m.labels().size() + " labels at " + m.size()
                        + " px; this run needs the dataset's " + labels.size() + " labels in the same order at " + size + " px");
            }
        }
        Model net = Loop.restoreModel(file, false);
        long outputs = Nets.outputs(net);
        if (outputs != labels.size()) {
            throw new KonomiException("--teacher " + file + ": has " + outputs + " outputs; this run has " + labels.size() + " labels");
        }
        return FoldedNet.fold(net, size, CNN2DFormat.NCHW);
    }

    /** The batch with the teacher's share mixed into its labels, in place. */
    DataSet apply(DataSet batch) {
        INDArray p = Nets.output(teachers.get(0), batch.getFeatures());
        for (int t = 1; t < teachers.size(); t++) {
            p.addi(Nets.output(teachers.get(t), batch.getFeatures()));
        }
        if (teachers.size() > 1) {
            p.divi(teachers.size());
        }
        if (inverseT != 1) {
            p = Transforms.pow(p, inverseT, false);
            p.diviColumnVector(p.sum(1));
        }
        batch.getLabels().muli(1 - share).addi(p.muli(share));
        return batch;
    }
}
