package konomi.train;

import konomi.api.train.Augment;
import konomi.api.train.CvOptions;
import konomi.api.train.Schedule;
import konomi.api.train.TrainOptions;

/** The settings a training loop needs, whichever service's options they came from. */
record Hyper(int epochs, int batch, int size, double lr, Schedule schedule, double weightDecay, long seed, Augment augment,
             int workers) {

    static Hyper of(TrainOptions o) {
        return new Hyper(o.epochs(), o.batch(), o.size(), o.learningRate(), o.schedule(), o.weightDecay(), o.split().seed(), o.augment(),
                o.workers());
    }

    static Hyper of(CvOptions o) {
        return new Hyper(o.epochs(), o.batch(), o.size(), o.learningRate(), o.schedule(), o.weightDecay(), o.seed(), o.augment(), o.workers());
    }

    /** Learning rate of an epoch (0-based) under the schedule. */
    double learningRate(int epoch) {
        return switch (schedule) {
            case COSINE -> lr * 0.5 * (1 + Math.cos(Math.PI * epoch / Math.max(1, epochs)));
            case STEP -> lr * Math.pow(0.1, epoch / Math.max(1, epochs / 3));
            // one-cycle: linear warm-up from lr/25 over the first 30% of epochs, then cosine down to ~0
            case ONECYCLE -> {
                double warm = Math.max(1, 0.3 * epochs);
                yield epoch < warm ? lr / 25 + (lr - lr / 25) * epoch / warm
                        : lr * 0.5 * (1 + Math.cos(Math.PI * (epoch - warm) / Math.max(1, epochs - warm)));
            }
            case CONSTANT -> lr;
        };
    }

    /** The per-epoch schedule DL4J follows. */
    org.nd4j.linalg.schedule.MapSchedule epochSchedule() {
        java.util.Map<Integer, Double> lrs = new java.util.LinkedHashMap<>();
        for (int e = 0; e < epochs; e++) {
            lrs.put(e, learningRate(e));
        }
        return new org.nd4j.linalg.schedule.MapSchedule(org.nd4j.linalg.schedule.ScheduleType.EPOCH, lrs);
    }
}
