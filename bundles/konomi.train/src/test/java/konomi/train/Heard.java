package konomi.train;

import java.util.ArrayList;
import java.util.List;

import konomi.api.train.EpochReport;
import konomi.api.train.TrainListener;

/** A listener that keeps what a training service said: its messages and epoch reports, in order. */
final class Heard implements TrainListener {
    final List<String> said = new ArrayList<>();
    final List<EpochReport> epochs = new ArrayList<>();

    @Override
    public void epoch(EpochReport report) {
        epochs.add(report);
    }

    @Override
    public void message(String text) {
        said.add(text);
    }
}
