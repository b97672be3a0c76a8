package konomi.nn.gan;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's external-error training, in the three calls adversarial training needs: a training-mode forward pass that
 * keeps what backprop needs, backprop of a gradient given at the output (returning the gradient at the input too), and
 * one update by the network's own updater.
 */
public final class Backprop {
    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    private Backprop() {
    }

    /** Training-mode output, the layers' inputs kept for {@link #backward}. */
    public static INDArray forward(MultiLayerNetwork net, INDArray input) {
        net.setInput(input);
        return net.feedForward(true, false).get(net.getnLayers());
    }

    /**
     * Parameter gradients (in the network's gradient view: the next backward overwrites them) and the gradient with
     * respect to the input of the last {@link #forward}.
     */
    public static Pair<Gradient, INDArray> backward(MultiLayerNetwork net, INDArray outputGradient) {
        return net.backpropGradient(outputGradient, NO_WS);
    }

    /** One step of the network's updater (Adam) on these gradients; {@code iteration} counts from 0. */
    public static void update(MultiLayerNetwork net, Gradient gradient, int iteration, int epoch, int batch) {
        net.getUpdater().update(net, gradient, iteration, epoch, batch, NO_WS);
        net.params().subi(gradient.gradient());
        net.getLayerWiseConfigurations().setIterationCount(iteration + 1);
        net.getLayerWiseConfigurations().setEpochCount(epoch);
    }
}
