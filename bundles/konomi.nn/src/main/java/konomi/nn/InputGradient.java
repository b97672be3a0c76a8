package konomi.nn;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient of a network's loss against given labels with respect to its input batch: what activation
 * maximisation (viz:input) climbs. A layer network has it from DL4J ({@code calculateGradients}); DL4J
 * 1.0.0-M2.1's {@link ComputationGraph} computes the gradients of its parameters only and drops its input's, so for
 * a graph the vertices are run forward and backward here, in topological order, each vertex's epsilon being the
 * sum over the vertices it feeds (a residual block's input feeds two). For a network without batch norms or
 * dropout ({@link FoldedNet}), where training and inference compute the same function.
 */
public final class InputGradient {
    private InputGradient() {
    }

    /** d loss / d input for a batch in the network's layout, with labels as its output layer takes them. */
    public static INDArray of(Model net, INDArray input, INDArray labels) {
        if (net instanceof MultiLayerNetwork m) {
            return m.calculateGradients(input, labels, null, null).getSecond();
        }
        ComputationGraph g = (ComputationGraph) net;
        if (g.getConfiguration().getNetworkInputs().size() != 1 || g.getConfiguration().getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("an input gradient needs a graph of one input and one output");
        }
        if (g.getGradientsViewArray() == null) {
            g.initGradientsView(); // layers write their parameter gradients into it on the way back
        }
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        GraphVertex[] vertices = g.getVertices();
        int[] order = g.topologicalSortOrder();
        INDArray[] out = new INDArray[vertices.length];
        int inputIndex = -1;
        for (int i : order) {
            GraphVertex v = vertices[i];
            if (v.isInputVertex()) {
                out[i] = input;
                inputIndex = i;
                continue;
            }
            VertexIndices[] in = v.getInputVertices();
            for (int k = 0; k < in.length; k++) {
                v.setInput(k, out[in[k].getVertexIndex()], ws);
            }
            out[i] = v.doForward(true, ws);
        }
        INDArray[] eps = new INDArray[vertices.length];
        for (int j = order.length - 1; j >= 0; j--) {
            GraphVertex v = vertices[order[j]];
            if (v.isInputVertex()) {
                continue;
            }
            if (v.isOutputVertex()) {
                ((IOutputLayer) v.getLayer()).setLabels(labels);
            } else if (eps[order[j]] == null) {
                continue; // on no path to the output
            } else {
                v.setEpsilon(eps[order[j]]);
            }
            INDArray[] back = v.doBackward(false, ws).getSecond();
            VertexIndices[] in = v.getInputVertices();
            for (int k = 0; k < in.length; k++) {
                int s = in[k].getVertexIndex();
                eps[s] = eps[s] == null ? back[k].dup() : eps[s].addi(back[k]);
            }
        }
        g.clearLayersStates();
        return eps[inputIndex];
    }
}
