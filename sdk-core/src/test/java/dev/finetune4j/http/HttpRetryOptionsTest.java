package dev.finetune4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpRetryOptionsTest {

    @Test
    void defaults_areThoseOfTheOpenAiSdks() {
        RetryOptions d = RetryOptions.defaults();

        assertThat(d.maxRetries()).isEqualTo(2);
        assertThat(d.initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(d.maxBackoff()).isEqualTo(Duration.ofSeconds(8));
        assertThat(d.maxRetryAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.deadline()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void none_retriesNothing_butKeepsTheDeadline() {
        assertThat(RetryOptions.none().maxRetries()).isZero();
        assertThat(RetryOptions.none().deadline()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void toBuilder_roundTrips_andValuesCompareByContent() {
        RetryOptions custom = RetryOptions.builder()
                .maxRetries(5)
                .initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(30))
                .maxRetryAfter(Duration.ofSeconds(120))
                .deadline(Duration.ofMinutes(2))
                .build();

        assertThat(custom.toBuilder().build()).isEqualTo(custom).hasSameHashCodeAs(custom);
        assertThat(custom).isNotEqualTo(RetryOptions.defaults());
        assertThat(custom.toString()).contains("maxRetries=5", "deadline=PT2M");
    }

    @Test
    void invalidValues_areRejectedNamingTheOption() {
        assertThatThrownBy(() -> RetryOptions.builder().maxRetries(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetries is -1; it must be 0 or more");
        assertThatThrownBy(() -> RetryOptions.builder().deadline(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deadline is PT0S; it must be positive");
        assertThatThrownBy(() -> RetryOptions.builder().initialBackoff(Duration.ofSeconds(10)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("initialBackoff PT10S is longer than maxBackoff PT8S; raise maxBackoff or lower initialBackoff");
    }

    @Test
    void systemSleeper_returnsAtOnceForZero() throws InterruptedException {
        Sleeper.system().sleep(Duration.ZERO);
        Sleeper.system().sleep(Duration.ofMillis(-5));
        assertThat(Sleeper.system()).isSameAs(Sleeper.system());
    }
}
