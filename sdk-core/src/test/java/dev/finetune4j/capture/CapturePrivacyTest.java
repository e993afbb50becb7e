package dev.finetune4j.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.Tenant;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.store.PurgeReport;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapturePrivacyTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void purgingATenant_removesItsCapturesAndFeedback_andNoOtherTenants(@TempDir Path dir) {
        VersionStore store = VersionStores.file(dir, clock);
        try (FineTuning root = FineTuning.builder().store(store).clock(clock).provider(new EchoChatProvider())
                .build()) {
            FineTuning alice = root.forTenant(new Tenant("alice"));
            FineTuning bob = root.forTenant(new Tenant("bob"));
            String aliceCall = captureOneRatedCall(alice);
            String bobCall = captureOneRatedCall(bob);

            PurgeReport report = store.purge(alice.tenant());

            assertThat(report.blobs()).isPositive();
            assertThat(alice.captures().find(aliceCall)).isEmpty();
            assertThat(store.list(alice.tenant(), "capture-segments", null, 10).keys()).isEmpty();
            assertThat(store.list(alice.tenant(), "capture-feedback", null, 10).keys()).isEmpty();
            assertThat(bob.captures().find(bobCall).orElseThrow().feedback()).isPresent();
        }
        store.close();
    }

    private static String captureOneRatedCall(FineTuning ft) {
        ft.createAssistant("ava", "openai", CaptureTest.BASE);
        ft.captures().enable("ava", CapturePolicy.builder().build());
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            String callId = router.chat(ChatRequest.of("ava", "my private question")).callId();
            ft.captures().feedback(callId, Feedback.up().withNote("private note"));
            return callId;
        }
    }

    @Test
    void tenantsDoNotSeeEachOthersCaptures() {
        try (FineTuning root = FineTuning.builder().store(VersionStores.inMemory(clock)).clock(clock)
                .provider(new EchoChatProvider()).build()) {
            FineTuning alice = root.forTenant(new Tenant("alice"));
            FineTuning bob = root.forTenant(new Tenant("bob"));
            String aliceCall = captureOneRatedCall(alice);
            bob.createAssistant("ava", "openai", CaptureTest.BASE);

            assertThat(bob.captures().find(aliceCall)).isEmpty();
            try (Stream<Capture> s = bob.captures().find(CaptureQuery.all("ava"))) {
                assertThat(s).isEmpty();
            }
            // capture is enabled per tenant: bob's "ava" was never turned on
            assertThat(bob.captures().policy("ava")).isEmpty();
            assertThat(alice.captures().flush(Duration.ofSeconds(10))).isTrue();
        }
    }
}
