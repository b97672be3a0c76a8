package konomi.train;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import konomi.api.KonomiException;
import konomi.api.train.Augment;
import konomi.api.train.TrainOptions;
import konomi.nn.Nets;
import konomi.nn.WeightAverage;
import konomi.util.AtomicFile;

/** The pieces every training service shares: an epoch of fitting, measuring a network, loading and writing files. */
final class Loop {
    private Loop() {
    }

    /**
     * One epoch: shuffled, augmented batches prepared by a second thread while the network trains; the shuffle
     * depends on seed and epoch only, so a resumed run sees the same order. Returns the mean training loss.
     */
    static double fitEpoch(Model net, Batches batches, int epoch, TrainOptions o) {
        return fitEpoch(net, batches.samples().size(), batches::batch, epoch, o, null);
    }

    /**
     * The same, averaging the weights into {@code average} after every step when it is not null, and mixing each
     * batch's targets with a teacher's outputs when {@code teacher} is not null. The teacher runs on the thread that
     * prepares the batches, beside the student's step; ND4J's workspaces are per thread, so the two networks' stay apart.
     */
    static double fitEpoch(Model net, Batches batches, int epoch, TrainOptions o, WeightAverage<?> average, Distillation teacher) {
        BatchMaker maker = teacher == null ? batches::batch : (order, from, to, augment, rnd) -> teacher.apply(batches.batch(order, from, to, augment, rnd));
        return fitEpoch(net, batches.samples().size(), maker, epoch, o, average);
    }

    /** Makes the batch of samples {@code order[from..to)}. */
    interface BatchMaker {
        DataSet batch(int[] order, int from, int to, Augment augment, SplittableRandom rnd);
    }

    /** {@link #fitEpoch(Model, Batches, int, TrainOptions)} for any kind of batch. */
    static double fitEpoch(Model net, int n, BatchMaker batches, int epoch, TrainOptions o, WeightAverage<?> average) {
        SplittableRandom rnd = new SplittableRandom(o.split().seed() * 7919 + epoch);
        int[] order = Batches.shuffled(n, rnd.split());
        SplittableRandom aug = rnd.split();
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(3);
        Object end = new Object();
        Thread producer = new Thread(() -> {
            try {
                for (int from = 0; from < n; from += o.batch()) {
                    queue.put(batches.batch(order, from, Math.min(n, from + o.batch()), o.augment(), aug));
                }
                queue.put(end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                queue.offer(e);
            }
        }, "konomi-batches");
        producer.setDaemon(true);
        producer.start();
        double sum = 0;
        int batchesDone = 0;
        try {
            while (true) {
                // a bounded hand-over, not a guess: the producer always puts a batch, the end marker or its failure
                Object item = queue.poll(10, TimeUnit.MINUTES);
                if (item == end) {
                    break;
                }
                if (item instanceof RuntimeException e) {
                    throw e;
                }
                if (item == null) {
                    throw new KonomiException("batch preparation stalled");
                }
                ((NeuralNetwork) net).fit((DataSet) item); // both kinds of network are one
                sum += net.score();
                if (average != null) {
                    average.update(net, Nets.iterations(net));
                }
                batchesDone++;
            }
        } catch (InterruptedException e) {
            producer.interrupt();
            Thread.currentThread().interrupt();
            throw new KonomiException("training interrupted; it resumes from the last finished epoch");
        }
        Nets.epochDone(net);
        return sum / Math.max(1, batchesDone);
    }

    /** Outputs of the network on a cached set (centre crops), in sample order: class probabilities or predicted values. */
    static Outputs outputs(Model net, Batches batches, int classes, int batchSize) {
        return outputs(net, batches, classes, batchSize, false);
    }

    /** The same; with {@code flip} each output is the mean of the picture's and its mirror image's. */
    static Outputs outputs(Model net, Batches batches, int classes, int batchSize, boolean flip) {
        int n = batches.samples().size();
        int[] order = Batches.identity(n);
        float[][] probs = new float[n][];
        double[] pred = new double[n];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            DataSet ds = batches.batch(order, from, to, Augment.NONE, null);
            INDArray y = Nets.output(net, ds.getFeatures());
            if (flip) {
                y.addi(Nets.output(net, batches.batch(order, from, to, Augment.NONE, null, true).getFeatures())).muli(0.5);
            }
            for (int i = from; i < to; i++) {
                if (classes > 0) {
                    probs[i] = y.getRow(i - from).toFloatVector();
                } else {
                    pred[i] = y.getDouble(i - from, 0);
                }
            }
        }
        return new Outputs(probs, pred);
    }

    record Outputs(float[][] probs, double[] pred) {
    }

    /**
     * A classifier's probabilities for each picture as it is and, with {@code flip}, for its mirror image: the flip
     * test's two views apart (temperature scaling acts on each before they are averaged).
     */
    static List<float[][]> views(Model net, Batches batches, int batchSize, boolean flip) {
        int n = batches.samples().size();
        int[] order = Batches.identity(n);
        List<float[][]> views = new java.util.ArrayList<>();
        for (int v = 0; v < (flip ? 2 : 1); v++) {
            float[][] probs = new float[n][];
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                INDArray y = Nets.output(net, batches.batch(order, from, to, Augment.NONE, null, v == 1).getFeatures());
                for (int i = from; i < to; i++) {
                    probs[i] = y.getRow(i - from).toFloatVector();
                }
            }
            views.add(probs);
        }
        return views;
    }

    /** Validation or test metrics of the network on a cached set; fills {@code confusion} when given. */
    static Map<String, Double> measure(Model net, Batches batches, int classes, int[][] confusion, int batchSize) {
        return measure(net, batches, classes, confusion, batchSize, false);
    }

    /** The same, with the flip test when {@code flip}. */
    static Map<String, Double> measure(Model net, Batches batches, int classes, int[][] confusion, int batchSize, boolean flip) {
        Outputs out = outputs(net, batches, classes, batchSize, flip);
        List<Sample> s = batches.samples();
        if (classes > 0) {
            int[] labels = s.stream().mapToInt(Sample::label).toArray();
            return Metrics.classification(out.probs(), labels, confusion == null ? new int[classes][classes] : confusion);
        }
        return Metrics.regression(out.pred(), s.stream().mapToDouble(Sample::target).toArray());
    }

    /**
     * The moving average of the weights a run validates and keeps ({@code --ema}), or null without one; a resumed
     * run ({@code resumed}) continues the one it saved in {@code saved}.
     */
    @SuppressWarnings("unchecked") // the saved average is the network's own kind: the run wrote it
    static <N extends Model> WeightAverage<N> average(double decay, N net, Path saved, boolean resumed) {
        return decay == 0 ? null
                : resumed && Files.isRegularFile(saved) ? new WeightAverage<>((N) restoreModel(saved, false), decay, false)
                : new WeightAverage<>(net, decay, true);
    }

    /** Loads a layer network (detectors). */
    static MultiLayerNetwork restore(Path zip, boolean updater) {
        try {
            return konomi.nn.detect.DetectorNets.restore(zip.toFile(), updater); // context class loader for CentreLoss
        } catch (IOException | RuntimeException e) {
            throw new KonomiException(zip + ": cannot load the network: " + e.getMessage(), e);
        }
    }

    /** Loads a network of either kind (classifiers and regressors: a layer network or a residual graph). */
    static Model restoreModel(Path zip, boolean updater) {
        try {
            return Nets.restoreModel(zip.toFile(), updater);
        } catch (IOException | RuntimeException e) {
            throw new KonomiException(zip + ": cannot load the network: " + e.getMessage(), e);
        }
    }

    interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Writes a file atomically (konomi.util.AtomicFile): a kill never leaves half a file. */
    static void write(Path target, StreamWriter w) {
        try (AtomicFile f = new AtomicFile(target, true)) {
            w.write(f.stream());
            f.commit();
        } catch (IOException e) {
            throw new KonomiException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    static void writeModel(Path target, Model net, boolean withUpdater) {
        write(target, out -> ModelSerializer.writeModel(net, out, withUpdater));
    }

    static double min(List<Sample> s) {
        return s.stream().mapToDouble(Sample::target).min().orElse(0);
    }

    static double max(List<Sample> s) {
        return s.stream().mapToDouble(Sample::target).max().orElse(0);
    }
}
