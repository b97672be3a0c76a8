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
 * softmax of its logits at temperature T). The teacher runs with its batch norms folded (inference only).
 */
final class Distillation {
    private final Model teacher;
    private final double share, inverseT;

    Distillation(Model teacher, double share, double temperature) {
        this.teacher = teacher;
        this.share = share;
        this.inverseT = 1 / temperature;
    }

    /** Loads the teacher at {@code file}, refusing one that does not predict {@code labels} at this input size. */
    static Distillation load(Path file, List<String> labels, int size, double share, double temperature) {
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
        return new Distillation(FoldedNet.fold(net, size, CNN2DFormat.NCHW), share, temperature);
    }

    /** The batch with the teacher's share mixed into its labels, in place. */
    DataSet apply(DataSet batch) {
        INDArray p = Nets.output(teacher, batch.getFeatures());
        if (inverseT != 1) {
            p = Transforms.pow(p, inverseT, false);
            p.diviColumnVector(p.sum(1));
        }
        batch.getLabels().muli(1 - share).addi(p.muli(share));
        return batch;
    }
}
