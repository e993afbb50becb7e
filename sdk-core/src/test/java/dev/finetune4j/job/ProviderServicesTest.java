package dev.finetune4j.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.InsufficientExamplesException;
import dev.finetune4j.UnsupportedCapabilityException;
import dev.finetune4j.ValidationException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.DeletionReport;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.DataCheck;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.policy.MinimumExamples;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.TrainingService;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.TestRules;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A provider is its descriptor plus the services it offers: a chat-only endpoint and a
 * training-only service are whole providers, the core refuses the other half with a typed
 * exception naming the provider and the capability, and a provider passed by hand brings its data
 * rules to the training policy.
 */
class ProviderServicesTest {

    /** A chat-only endpoint: five lines of provider around one chat service. */
    static final class ChatOnly implements Provider, ChatService {
        static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("chat-only")
                .displayName("Chat Only").capabilities(Capabilities.of(Capability.CHAT)).build();
        final List<ChatCall> calls = new CopyOnWriteArrayList<>();

        @Override
        public ProviderDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public ChatResult chat(ChatCall call) {
            calls.add(call);
            return new ChatResult("hello from " + call.model(), List.of(), "stop", new Usage(3, 2), call.model(), "r");
        }

        @Override
        public void chatStream(ChatCall call, ChatStreamListener listener) {
            listener.onComplete(chat(call));
        }

        @Override
        public void close() {
            // nothing held
        }
    }

    private static void examples(FineTuning ft, String assistant, int n) {
        ft.dataset(assistant + "/main").append(IntStream.range(0, n).mapToObj(i -> Example.of(
                Message.user("question " + i), Message.assistant("answer " + i))).toList(), null);
    }

    @Test
    void aChatOnlyProvider_chatsThroughTheRouter_andRefusesTrainingBeforeAnythingIsRecorded() {
        ChatOnly provider = new ChatOnly();
        try (FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).provider(provider).build()) {
            ft.createAssistant("ava", "chat-only", "small-1");
            examples(ft, "ava", 20);

            try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
                assertThat(router.chat(ChatRequest.of("ava", "hi")).content()).isEqualTo("hello from small-1");
            }
            assertThatThrownBy(() -> ft.jobs().submit(FineTuneSpec.builder("ava", "main").build()))
                    .isInstanceOf(UnsupportedCapabilityException.class)
                    .hasMessage("provider 'chat-only' cannot train: it does not offer TRAINING")
                    .satisfies(e -> {
                        UnsupportedCapabilityException u = (UnsupportedCapabilityException) e;
                        assertThat(u.provider()).isEqualTo("chat-only");
                        assertThat(u.capability()).isEqualTo(Capability.TRAINING);
                        assertThat(u.isRetryable()).isFalse();
                    });
            assertThatThrownBy(() -> ft.jobs().estimate(FineTuneSpec.builder("ava", "main").build()))
                    .isInstanceOf(UnsupportedCapabilityException.class);
            assertThat(ft.jobs().list("ava")).isEmpty();
            assertThat(provider.calls).hasSize(1);
        }
    }

    @Test
    void aTrainingOnlyProvider_trains_andTheRouterRefusesToChatWithoutFallingBack() {
        FakeProvider trainer = new FakeProvider("trainer", false, TestRules.HUGGINGFACE);
        try (FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).provider(trainer)
                .sleeper(d -> { }).build()) {
            Assistant ava = ft.createAssistant("ava", "trainer", "base-1");
            examples(ft, "ava", 20);
            FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("ava", "main").build())
                    .awaitCompletion(java.time.Duration.ofHours(1));
            ModelVersion v1 = ava.modelVersion(job.modelVersion().orElseThrow()).orElseThrow();
            ava.activate(v1.number(), Change.SYSTEM);

            try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
                assertThatThrownBy(() -> router.chat(ChatRequest.of("ava", "hi")))
                        .isInstanceOf(UnsupportedCapabilityException.class)
                        .hasMessage("provider 'trainer' cannot chat: it does not offer CHAT");
            }
            assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        }
    }

    @Test
    void deletingTheProvidersModel_whereItCannotDeleteModels_keepsItAndSaysWhy() {
        FakeProvider fake = new FakeProvider("no-delete", false, TestRules.HUGGINGFACE);
        Provider noDelete = new Provider() {
            @Override
            public ProviderDescriptor descriptor() {
                return fake.descriptor().toBuilder()
                        .capabilities(fake.descriptor().capabilities().without(Capability.DELETE_MODEL)).build();
            }

            @Override
            public Optional<TrainingService> training() {
                return fake.training();
            }

            @Override
            public void close() {
                fake.close();
            }
        };
        try (FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).provider(noDelete).build()) {
            Assistant ava = ft.createAssistant("ava", "no-delete", "base-1");
            ModelVersion v1 = ava.importModel("no-delete", "ft-model-1", "base-1", null);

            DeletionReport report = ava.delete(v1.number(), true, Change.SYSTEM);

            assertThat(report.providerModelDeleted()).isFalse();
            assertThat(report.providerOutcome()).isEqualTo("kept: no-delete cannot delete ft-model-1 through its API "
                    + "(it does not offer DELETE_MODEL)");
        }
    }

    @Test
    void aProviderPassedByHand_bringsItsMinimumExamples_toTheTrainingPolicy() {
        DataRules strict = DataRules.builder("Strict")
                .minimumExamples(new MinimumExamples(25, 40, "strict's own minimum")).build();
        FakeProvider provider = new FakeProvider("strict", false, strict);
        try (FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).provider(provider).build()) {
            ft.createAssistant("ava", "strict", "base-1");
            examples(ft, "ava", 20);

            assertThat(ft.trainingPolicy().providerRules("strict")).contains(strict);
            assertThatThrownBy(() -> ft.jobs().submit(FineTuneSpec.builder("ava", "main").build()))
                    .isInstanceOf(InsufficientExamplesException.class)
                    .hasMessageContaining("strict requires at least 25 (strict's own minimum)");
            assertThat(provider.calls.get()).isZero();
        }
    }

    @Test
    void aProviderPassedByHand_bringsItsDataChecks_toTheCheckBeforeUpload() {
        DataRules strict = DataRules.builder("Strict").enable(DataCheck.SINGLE_LEADING_SYSTEM_MESSAGE).build();
        FakeProvider provider = new FakeProvider("strict", false, strict);
        try (FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).provider(provider).build()) {
            ft.createAssistant("ava", "strict", "base-1");
            ft.dataset("ava/main").append(IntStream.range(0, 20).mapToObj(i -> Example.of(Message.user("q" + i),
                    Message.system("late"), Message.assistant("a" + i))).toList(), null);

            assertThatThrownBy(() -> ft.jobs().submit(FineTuneSpec.builder("ava", "main").build()))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("breaks strict's rules")
                    .hasMessageContaining("system_message_position")
                    .hasMessageContaining("Strict allows one system message, and only first");
            assertThat(provider.calls.get()).isZero();
        }
    }

    @Test
    void aPolicyThatAlreadyHasRulesForTheId_keepsThem() {
        DataRules house = DataRules.builder("House").minimumExamples(new MinimumExamples(3, 3, "house")).build();
        FakeProvider provider = new FakeProvider("strict", false, TestRules.OPENAI);
        try (FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).provider(provider)
                .trainingPolicy(TrainingPolicy.builder().providerRules("strict", house).build()).build()) {
            assertThat(ft.trainingPolicy().providerRules("strict")).contains(house);
        }
    }
}
