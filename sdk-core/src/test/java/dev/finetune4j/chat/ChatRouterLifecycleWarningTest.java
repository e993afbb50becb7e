package dev.finetune4j.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.lifecycle.LifecycleEvent;
import dev.finetune4j.lifecycle.LifecycleKind;
import dev.finetune4j.lifecycle.LifecycleTable;
import dev.finetune4j.lifecycle.LifecycleWarning;
import dev.finetune4j.lifecycle.SourceQuality;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The router warns once per model and day when it serves a model within N days of its shutdown. */
class ChatRouterLifecycleWarningTest {

    static final String BASE = "gpt-4o-mini-2024-07-18";
    static final String V1 = "ft:gpt-4o-mini-2024-07-18:acme:ava:v1aaaaaa";

    private final ManualClock clock = new ManualClock();   // 2026-11-21
    private final VersionStore store = VersionStores.inMemory(clock);
    private final FakeChatProvider provider = new FakeChatProvider();
    private final List<LifecycleWarning> warnings = new CopyOnWriteArrayList<>();

    private ChatRouter router(int warningDays, dev.finetune4j.lifecycle.LifecycleListener listener) {
        LifecycleTable table = LifecycleTable.builder().put(LifecycleEvent.builder("openai", BASE,
                LifecycleKind.MODEL_SHUTDOWN).date(LocalDate.parse("2026-12-11"))
                .source(URI.create("https://example.org/deprecations"), LocalDate.parse("2026-11-01"),
                        SourceQuality.SECONDARY).build()).build();
        FineTuning ft = FineTuning.builder().store(store).clock(clock).provider(provider).lifecycleTable(table)
                .lifecycleWarningDays(warningDays).lifecycleListener(listener).build();
        Assistant ava = ft.createAssistant("ava", "openai", BASE);
        ava.importModel("openai", V1, BASE, null);
        ava.activate(1, Change.by("test", "live"));
        return ft.chatRouter(ChatRouter.Options.defaults());
    }

    private ChatResponse ask(ChatRouter router) {
        return router.chat(ChatRequest.builder("ava").user("hi").build());
    }

    @Test
    void withinTheWindow_warnsOncePerModelAndDay() {
        ChatRouter router = router(30, warnings::add);

        ask(router);
        ask(router);
        ask(router);

        assertThat(warnings).singleElement().satisfies(w -> {
            assertThat(w.assistant()).isEqualTo("ava");
            assertThat(w.version()).isEqualTo(1);
            assertThat(w.daysLeft()).isEqualTo(20);
            assertThat(w.event().date()).contains(LocalDate.parse("2026-12-11"));
            assertThat(w.lifecycle().modelId()).isEqualTo(V1);
        });

        clock.advance(Duration.ofDays(1));
        ask(router);
        ask(router);

        assertThat(warnings).extracting(LifecycleWarning::daysLeft).containsExactly(20L, 19L);
    }

    @Test
    void outsideTheWindow_staysQuietUntilTheWindowOpens() {
        ChatRouter router = router(7, warnings::add);

        ask(router);
        assertThat(warnings).isEmpty();

        clock.advance(Duration.ofDays(13));   // 2026-12-04: 7 days left
        ask(router);

        assertThat(warnings).extracting(LifecycleWarning::daysLeft).containsExactly(7L);
    }

    @Test
    void aListenerThatThrows_neverFailsTheCall() {
        ChatRouter router = router(30, w -> {
            throw new IllegalStateException("listener broke");
        });

        assertThat(ask(router).content()).isEqualTo("answer from " + V1);
    }
}
