package dev.finetune4j.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

    /** Feeds chunks to a subscriber the way the JDK client does, and returns what it yields. */
    private static byte[] feed(BodySubscriber<byte[]> subscriber, AtomicLong requested, String... chunks)
            throws Exception {
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                requested.addAndGet(n);
            }

            @Override
            public void cancel() {
                requested.set(-1);
            }
        });
        for (String c : chunks) {
            subscriber.onNext(List.of(ByteBuffer.wrap(c.getBytes(StandardCharsets.UTF_8))));
        }
        subscriber.onComplete();
        return subscriber.getBody().toCompletableFuture().get();
    }

    @Test
    void keepsTheFirstBytesUpToTheLimit_andReadsTheRestWithoutCancelling() throws Exception {
        AtomicLong requested = new AtomicLong();

        byte[] body = feed(BoundedBody.subscriber(10), requested, "0123", "456789ab", "cdef");

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("0123456789");
        // still asking for more after the limit: the connection is drained, not cut
        assertThat(requested.get()).isPositive();
    }

    @Test
    void aShortBody_isKeptWhole() throws Exception {
        byte[] body = feed(BoundedBody.subscriber(1024), new AtomicLong(), "{\"error\":", "{\"message\":\"no\"}}");

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"error\":{\"message\":\"no\"}}");
    }

    @Test
    void anEmptyBody_isEmpty() throws Exception {
        assertThat(feed(BoundedBody.subscriber(10), new AtomicLong())).isEmpty();
    }
}
