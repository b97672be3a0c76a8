package konomi.fetch;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

import konomi.api.KonomiException;

/**
 * Collects a body up to a limit. The moment it would pass the limit the subscription is cancelled (the connection
 * is dropped, the rest never read) and the body fails with the given error; a body refused before it starts fails
 * at once without reading anything.
 */
final class LimitedBody implements BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final long limit;
    private final Supplier<KonomiException> tooLarge;
    private final KonomiException refused;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    LimitedBody(long limit, Supplier<KonomiException> tooLarge) {
        this.limit = limit;
        this.tooLarge = tooLarge;
        this.refused = null;
    }

    private LimitedBody(KonomiException refused) {
        this.limit = 0;
        this.tooLarge = null;
        this.refused = refused;
    }

    /** A body refused from its headers alone (wrong type, declared too large). */
    static LimitedBody refuse(KonomiException why) {
        return new LimitedBody(why);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (refused != null) {
            s.cancel();
            result.completeExceptionally(refused);
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            if (buf.size() + (long) b.remaining() > limit) {
                subscription.cancel();
                result.completeExceptionally(tooLarge.get());
                return;
            }
            byte[] a = new byte[b.remaining()];
            b.get(a);
            buf.write(a, 0, a.length);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(buf.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
