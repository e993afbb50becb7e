package dev.finetune4j.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallIdsTest {

    @Test
    void next_stampsTheTimeAsTwelveHexDigits_thenSixteenRandomOnes() {
        Instant at = Instant.parse("2026-12-04T12:40:01.234Z");
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = CallIds.next(clock);
            assertThat(id).matches("c[0-9a-f]{28}")
                    .startsWith("c" + String.format("%012x", at.toEpochMilli()));
            assertThat(CallIds.millis(id)).isEqualTo(at.toEpochMilli());
            ids.add(id.substring(13));
        }
        assertThat(ids).hasSize(1000);
        assertThat(CallIds.next(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))).startsWith("c000000000000");
        assertThatThrownBy(() -> CallIds.millis("c123")).isInstanceOf(IllegalArgumentException.class);
    }
}
