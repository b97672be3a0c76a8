package konomi.train;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import konomi.api.train.TrainOptions;

/** The learning rate of each epoch under the options' schedule, for training and cross-validation alike. */
final class Schedules {
    private Schedules() {
    }

    /**
     * Learning rate of an epoch (0-based). With SWA ({@code --swa N}) the schedule ends N epochs early and those N run
     * at the constant SWA rate, so a run of E epochs with N averaged ones follows the (E-N)-epoch schedule first.
     */
    static double learningRate(TrainOptions o, int epoch) {
        double lr = o.learningRate();
        int epochs = o.epochs() - o.recipe().swa();
        if (epoch >= epochs) {
            return o.recipe().swaLr();
        }
        return switch (o.schedule()) {
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
    static MapSchedule perEpoch(TrainOptions o) {
        Map<Integer, Double> lrs = new LinkedHashMap<>();
        for (int e = 0; e < o.epochs(); e++) {
            lrs.put(e, learningRate(o, e));
        }
        return new MapSchedule(ScheduleType.EPOCH, lrs);
    }
}
