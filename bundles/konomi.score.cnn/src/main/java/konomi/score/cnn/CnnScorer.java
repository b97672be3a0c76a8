package konomi.score.cnn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

import konomi.api.Image;
import konomi.api.Score;
import konomi.api.Scorer;
import konomi.nn.ModelMeta;
import konomi.nn.NativeMemory;
import konomi.nn.Nets;
import konomi.nn.Tensors;

/**
 * A DL4J network scoring face crops. Crops are resized to the model's input and fed in batches of up to
 * 64 (with their mirror images too when the model was validated so, {@code tta=flip}). Classification gives the top label, its probability as the value and every label's probability;
 * regression gives the prediction clipped to the trained range.
 */
final class CnnScorer implements Scorer {
    private static final int BATCH = 64;
    private final String name;
    private final ModelMeta meta;
    private final Supplier<Model> loader;
    private Model net; // loaded on first use, guarded by this

    CnnScorer(String name, ModelMeta meta, Supplier<Model> loader) {
        this.name = name;
        this.meta = meta;
        this.loader = loader;
    }

    private synchronized Model net() {
        if (net == null) {
            net = loader.get();
        }
        return net;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Score> score(List<Image> faces) {
        List<Score> out = new ArrayList<>(faces.size());
        for (int from = 0; from < faces.size(); from += BATCH) {
            List<Image> part = faces.subList(from, Math.min(faces.size(), from + BATCH));
            Model n = net();
            INDArray x = Tensors.batch(part, meta.size(), Nets.channelsLast(n)), y = null;
            try {
                synchronized (n) { // a network keeps per-call state: one batch at a time
                    y = Nets.outputInLayout(n, x, meta.flipTest());
                }
                for (int i = 0; i < part.size(); i++) {
                    out.add(meta.classification() ? classification(y.getRow(i).toFloatVector()) : regression(y.getDouble(i, 0)));
                }
            } finally {
                // free the native buffers now: left to the garbage collector, those that reach the old generation wait
                // for a full GC, and a long score:run's memory grew with the number of images (~80 MB per 100,000)
                NativeMemory.close(x);
                NativeMemory.close(y);
            }
        }
        NativeMemory.collectPeriodically();
        return out;
    }

    private Score classification(float[] p) {
        Map<String, Double> probs = new LinkedHashMap<>();
        int best = 0;
        for (int j = 0; j < p.length; j++) {
            probs.put(meta.labels().get(j), (double) p[j]);
            if (p[j] > p[best]) {
                best = j;
            }
        }
        return new Score(name, p[best], meta.labels().get(best), probs);
    }

    private Score regression(double v) {
        double[] r = meta.range();
        double clipped = r == null ? v : Math.max(r[0], Math.min(r[1], v));
        return new Score(name, clipped, null, Map.of());
    }
}
