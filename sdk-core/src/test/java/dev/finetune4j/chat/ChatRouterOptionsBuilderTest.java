package dev.finetune4j.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Router options are built, copied and compared as a class that can gain options without breaking callers. */
class ChatRouterOptionsBuilderTest {

    @Test
    void builder_startsFromTheDefaults_andEqualsThem() {
        ChatRouter.Options built = ChatRouter.Options.builder().build();
        ChatRouter.Options defaults = ChatRouter.Options.defaults();

        assertThat(built.refreshInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(built.fallback()).isTrue();
        assertThat(built.failuresToOpen()).isEqualTo(3);
        assertThat(built.openFor()).isEqualTo(Duration.ofSeconds(30));
        assertThat(built.shadow()).isFalse();
        assertThat(built.wakeUpWait()).isEqualTo(ChatRouter.Options.DEFAULT_WAKE_UP_WAIT);
        assertThat(built).isEqualTo(defaults).hasSameHashCodeAs(defaults);
    }

    @Test
    void toBuilder_changesOneOption_andKeepsTheOthers() {
        ChatRouter.UsageListener usage = (s, u, r) -> { };
        ChatRouter.Options base = ChatRouter.Options.builder().refreshInterval(Duration.ofSeconds(1))
                .circuit(5, Duration.ofMinutes(1)).usageListener(usage).build();

        ChatRouter.Options changed = base.toBuilder().fallback(false).build();

        assertThat(changed.fallback()).isFalse();
        assertThat(changed.refreshInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(changed.failuresToOpen()).isEqualTo(5);
        assertThat(changed.openFor()).isEqualTo(Duration.ofMinutes(1));
        assertThat(changed.usageListener()).isSameAs(usage);
        assertThat(changed).isNotEqualTo(base);
        assertThat(base.fallback()).isTrue();
    }

    @Test
    void withMethods_stillWork_andMatchTheBuilder() {
        ChatRouter.ShadowListener shadow = (q, p, s, e) -> { };

        ChatRouter.Options viaWith = ChatRouter.Options.defaults().withShadow(shadow).withWakeUpWait(Duration.ZERO)
                .withRefreshInterval(Duration.ofSeconds(2));
        ChatRouter.Options viaBuilder = ChatRouter.Options.builder().shadow(shadow).wakeUpWait(Duration.ZERO)
                .refreshInterval(Duration.ofSeconds(2)).build();

        assertThat(viaWith.shadow()).isTrue();
        assertThat(viaWith.shadowListener()).isSameAs(shadow);
        assertThat(viaWith).isEqualTo(viaBuilder);
    }

    @Test
    void build_refusesOutOfRangeValues_namingThem() {
        assertThatThrownBy(() -> ChatRouter.Options.builder().circuit(0, Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failuresToOpen");
        assertThatThrownBy(() -> ChatRouter.Options.builder().wakeUpWait(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wakeUpWait");
        assertThatThrownBy(() -> ChatRouter.Options.builder().refreshInterval(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshInterval");
    }

    @Test
    void toString_namesTheOptions_notTheListeners() {
        assertThat(ChatRouter.Options.defaults().withUsageListener((s, u, r) -> { }).toString())
                .contains("refreshInterval=PT5S", "usageListener=set", "shadowListener=none");
    }
}
