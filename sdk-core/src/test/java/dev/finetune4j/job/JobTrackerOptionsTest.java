package dev.finetune4j.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Tracker options are built, copied and compared as a class that can gain options without breaking callers. */
class JobTrackerOptionsTest {

    @Test
    void builder_holdsTheDefaults_withARandomInstanceId() {
        JobTracker.Options o = JobTracker.Options.builder().build();

        assertThat(o.minInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.maxInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.lease()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.autoActivate()).isFalse();
        assertThat(o.instanceId()).startsWith("instance-");
        assertThat(JobTracker.Options.defaults().instanceId()).isNotEqualTo(o.instanceId());
    }

    @Test
    void toBuilder_keepsTheInstanceId_andEveryOtherOption() {
        JobListener listener = new JobListener() { };
        JobTracker.Options o = JobTracker.Options.builder().intervals(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .lease(Duration.ofMinutes(1)).listener(listener).instanceId("app-1").build();

        JobTracker.Options copy = o.toBuilder().build();
        JobTracker.Options on = o.toBuilder().autoActivate(true).build();

        assertThat(copy).isEqualTo(o).hasSameHashCodeAs(o);
        assertThat(on.autoActivate()).isTrue();
        assertThat(on.instanceId()).isEqualTo("app-1");
        assertThat(on.listener()).isSameAs(listener);
        assertThat(on.lease()).isEqualTo(Duration.ofMinutes(1));
        assertThat(on).isNotEqualTo(o);
    }

    @Test
    void withIntervals_stillGrowsTheLeaseToTheLongestInterval() {
        JobTracker.Options o = JobTracker.Options.defaults().withInstanceId("i").withIntervals(Duration.ofMinutes(1),
                Duration.ofMinutes(10));

        assertThat(o.lease()).isEqualTo(Duration.ofMinutes(10));
        assertThat(o.withAutoActivate(true).autoActivate()).isTrue();
        assertThat(o.toString()).contains("instanceId=i", "listener=none");
    }

    @Test
    void build_refusesALeaseShorterThanTheLongestInterval_andABlankInstanceId() {
        assertThatThrownBy(() -> JobTracker.Options.builder().lease(Duration.ofSeconds(30)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease PT30S");
        assertThatThrownBy(() -> JobTracker.Options.builder().intervals(Duration.ZERO, Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minInterval");
        assertThatThrownBy(() -> JobTracker.Options.builder().instanceId(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instanceId");
    }
}
