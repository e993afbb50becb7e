package dev.finetune4j.internal.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;

/**
 * A body received whole but kept only up to a limit: the rest is read and dropped, so the
 * connection stays reusable and an endless error page cannot fill the heap.
 */
public final class BoundedBody {

    private BoundedBody() {}

    /** A subscriber that yields at most {@code limit} bytes of the body. */
    public static BodySubscriber<byte[]> subscriber(int limit) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        return BodySubscribers.mapping(BodySubscribers.ofByteArrayConsumer(chunk -> chunk.ifPresent(bytes -> {
            int room = limit - kept.size();
            if (room > 0) {
                kept.write(bytes, 0, Math.min(room, bytes.length));
            }
        })), done -> kept.toByteArray());
    }
}
