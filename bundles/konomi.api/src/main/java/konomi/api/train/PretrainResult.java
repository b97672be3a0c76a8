package konomi.api.train;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link Pretrainer#pretrain}.
 *
 * @param model     the base network ({@code model.zip}, its projection removed), for {@code train:run --init}
 * @param pictures  faces pretrained on (pictures of face crops, and the boxes of box datasets)
 * @param excluded  faces left out because a named run held their picture back
 * @param epochs    epochs finished
 * @param loss      the last epoch's mean contrastive loss
 * @param pairAccuracy the last epoch's share of views whose nearest other row was the other view of the same picture
 * @param skipped   unreadable pictures, one line each
 */
public record PretrainResult(Path model, int pictures, int excluded, int epochs, double loss, double pairAccuracy, List<String> skipped) {
    public PretrainResult {
        skipped = List.copyOf(skipped);
    }
}
