package konomi.api.train;

import java.util.Objects;

/**
 * Options of {@link Trainer#train}. Start from {@link #defaults()} or {@link #builder()}.
 *
 * @param epochs          epochs to run at most
 * @param batch           batch size
 * @param size            input size in pixels (square)
 * @param learningRate    peak learning rate (Adam)
 * @param schedule        learning-rate schedule
 * @param weightDecay     L2 weight decay
 * @param patience        epochs without a better validation metric before stopping
 * @param metric          the validation metric early stopping watches ({@code accuracy}, {@code top3}, {@code loss};
 *                        {@code spearman}, {@code mae}, {@code rmse}, {@code loss}), or null for the task's default
 * @param augment         training augmentations
 * @param split           how the dataset is split; its seed also initialises the network
 * @param init            start from this network, its output layer replaced: a {@code model.zip}, a train:run folder,
 *                        or an installed scorer model's name; null to start from random weights
 * @param freeze          with {@code init}: train only the new output layer
 * @param resume          resume from the output folder's last checkpoint when there is one
 * @param checkpointEvery also keep the weights of every Nth epoch (0: never)
 * @param workers         image-loading threads
 * @param task            {@code detect} to train a face detector on labelled boxes; null for a scorer (classification or
 *                        regression, from the dataset's form)
 * @param extra           more datasets whose every image is used for training only (detection: more boxes, composites)
 * @param head            a detector's output head: {@code centre} (heatmap of face centres) or {@code yolo2} (anchors);
 *                        null for the default ({@code centre}); scorers have none
 * @param recipe          a scorer's network and training levers (label smoothing, CutMix, weight averaging, flip test)
 * @param finalFit        scorers: train on the training and validation parts together and keep the last epoch (the
 *                        recipe, epochs included, chosen before on a run that held validation back); the test part
 *                        stays unseen, the validation figures are then on seen pictures
 */
public record TrainOptions(int epochs, int batch, int size, double learningRate, Schedule schedule, double weightDecay,
                           int patience, String metric, Augment augment, SplitSpec split, String init, boolean freeze,
                           boolean resume, int checkpointEvery, int workers, String task, java.util.List<java.nio.file.Path> extra,
                           String head, Recipe recipe, boolean finalFit) {

    /** The task of a detector. */
    public static final String DETECT = "detect";
    /** Detector heads: a heatmap of face centres with sizes (CenterNet-style), or YOLOv2 anchors. */
    public static final String CENTRE = "centre", YOLO2 = "yolo2";

    public TrainOptions {
        Check.range("epochs", epochs, 1, 10_000);
        Check.range("batch", batch, 1, 4096);
        Check.range("size", size, 16, 1024);
        Check.range("lr", learningRate, 1e-7, 10);
        Objects.requireNonNull(schedule, "schedule");
        Check.range("weight decay", weightDecay, 0, 1);
        Check.range("patience", patience, 1, 10_000);
        metric = metric == null || metric.isBlank() ? null : metric;
        Objects.requireNonNull(augment, "augment");
        Objects.requireNonNull(split, "split");
        init = init == null || init.isBlank() ? null : init;
        Check.range("checkpoint every", checkpointEvery, 0, 10_000);
        Check.range("workers", workers, 1, 64);
        task = task == null || task.isBlank() ? null : task;
        if (task != null && !task.equals(DETECT)) {
            throw new IllegalArgumentException("--task must be " + DETECT + " (scorers take their task from the dataset), not " + task);
        }
        extra = extra == null ? java.util.List.of() : java.util.List.copyOf(extra);
        head = head == null || head.isBlank() ? null : head;
        if (head != null && !head.equals(CENTRE) && !head.equals(YOLO2)) {
            throw new IllegalArgumentException("--head must be " + CENTRE + " or " + YOLO2 + ", not " + head);
        }
        if (head != null && !DETECT.equals(task)) {
            throw new IllegalArgumentException("--head is for --task " + DETECT + " only");
        }
        if (finalFit && DETECT.equals(task)) {
            throw new IllegalArgumentException("--final is for scorers (a detector's validation boxes pick its threshold)");
        }
        recipe = recipe == null ? Recipe.DEFAULT : recipe;
        if (recipe.swa() >= epochs) {
            throw new IllegalArgumentException("--swa " + recipe.swa() + " must be fewer than --epochs " + epochs + " (the schedule runs first)");
        }
    }

    /** The detector head to train ({@link #CENTRE} unless {@link #YOLO2} was asked for). */
    public String detectorHead() {
        return head == null ? CENTRE : head;
    }

    /** Whether this trains a detector. */
    public boolean detect() {
        return DETECT.equals(task);
    }

    /** 30 epochs, batch 64, 96 px, lr 0.002 cosine, weight decay 1e-4, patience 8, all augmentations, default split. */
    public static TrainOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.batch = batch;
        b.size = size;
        b.learningRate = learningRate;
        b.schedule = schedule;
        b.weightDecay = weightDecay;
        b.patience = patience;
        b.metric = metric;
        b.augment = augment;
        b.split = split;
        b.init = init;
        b.freeze = freeze;
        b.resume = resume;
        b.checkpointEvery = checkpointEvery;
        b.workers = workers;
        b.task = task;
        b.extra = extra;
        b.head = head;
        b.recipe = recipe;
        b.finalFit = finalFit;
        return b;
    }

    /** Builds {@link TrainOptions}; every field starts at its default. */
    public static final class Builder {
        private int epochs = 30;
        private int batch = 64;
        private int size = 96;
        private double learningRate = 0.002;
        private Schedule schedule = Schedule.COSINE;
        private double weightDecay = 1e-4;
        private int patience = 8;
        private String metric;
        private Augment augment = Augment.ALL;
        private SplitSpec split = SplitSpec.defaults();
        private String init;
        private boolean freeze;
        private boolean resume = true;
        private int checkpointEvery;
        private int workers = 2;
        private String task;
        private java.util.List<java.nio.file.Path> extra = java.util.List.of();
        private String head;
        private Recipe recipe = Recipe.DEFAULT;
        private boolean finalFit;

        private Builder() {
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batch(int v) {
            batch = v;
            return this;
        }

        public Builder size(int v) {
            size = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder schedule(Schedule v) {
            schedule = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder metric(String v) {
            metric = v;
            return this;
        }

        public Builder augment(Augment v) {
            augment = v;
            return this;
        }

        public Builder split(SplitSpec v) {
            split = v;
            return this;
        }

        public Builder init(String v) {
            init = v;
            return this;
        }

        public Builder freeze(boolean v) {
            freeze = v;
            return this;
        }

        public Builder resume(boolean v) {
            resume = v;
            return this;
        }

        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        public Builder workers(int v) {
            workers = v;
            return this;
        }

        /**
         * A detector's defaults: 384 px input, batch 16, 60 epochs (patience 15), one-cycle schedule (a warm-up keeps
         * the YOLO loss from diverging in the first batches), lr 0.002, task {@code detect}.
         */
        public Builder forDetection() {
            size = 384;
            batch = 16;
            epochs = 60;
            patience = 15;
            schedule = Schedule.ONECYCLE;
            learningRate = 0.002;
            task = DETECT;
            return this;
        }

        public Builder task(String v) {
            task = v;
            return this;
        }

        public Builder extra(java.util.List<java.nio.file.Path> v) {
            extra = v;
            return this;
        }

        public Builder head(String v) {
            head = v;
            return this;
        }

        public Builder finalFit(boolean v) {
            finalFit = v;
            return this;
        }

        public Builder recipe(Recipe v) {
            recipe = v;
            return this;
        }

        public TrainOptions build() {
            return new TrainOptions(epochs, batch, size, learningRate, schedule, weightDecay, patience, metric, augment, split, init,
                    freeze, resume, checkpointEvery, workers, task, extra, head, recipe, finalFit);
        }
    }
}
