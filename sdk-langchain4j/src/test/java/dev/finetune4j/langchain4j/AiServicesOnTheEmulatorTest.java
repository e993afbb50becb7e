package dev.finetune4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.ServedBy;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.OpenAiEmulator;
import dev.finetune4j.testkit.RecordedRequest;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.ReturnBehavior;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An AI Service with chat memory and a tool, answered through the router by models trained on the
 * testkit's OpenAI emulator: version 1 and version 2 of an assistant were trained on different
 * answers, and activating version 2 in the middle of a conversation changes who answers the next
 * turn, with the memory intact.
 */
class AiServicesOnTheEmulatorTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.builder().resetBeforeEachTest(false).build();

    private static Provider provider;
    private static FineTuning ft;
    private static ChatRouter router;
    private static int v1;
    private static int v2;
    private static String question;

    private static final List<String> QUESTIONS = List.of("How many sets of squats should I do?",
            "How long should I rest between sets?", "What should I eat before training?",
            "How often should I run each week?", "Is stretching before lifting useful?",
            "How much water should I drink during a workout?", "Should I train when my legs are sore?",
            "How many push ups for a beginner?", "What is a good warm up?", "How do I breathe when I deadlift?",
            "How many rest days per week?", "Can I lift weights every day?", "How fast should I run a 5k?",
            "What should I do after a workout?");

    @BeforeAll
    static void trainTwoVersions() {
        provider = Providers.create("openai", ProviderConfig.builder().endpoint(URI.create(openai.baseUrl()))
                .apiKey(ApiKey.of("sk-test")).build());
        ft = FineTuning.builder().store(VersionStores.inMemory()).provider(provider).sleeper(d -> Thread.sleep(5))
                .build();
        ft.createAssistant("coach", "openai", "gpt-4o-mini-2024-07-18");
        Dataset first = dataset("first", "[v1] Three sets are plenty.", false);
        Dataset second = dataset("second", "[v2] Go for five sets.", true);
        v1 = train("first");
        v2 = train("second");
        question = trainedInBoth(first, second);
        ft.assistant("coach").activate(v1, Change.by("test", "first version"));
        router = ft.chatRouter(ChatRouter.Options.defaults());
    }

    @AfterAll
    static void close() {
        router.close();
        ft.close();
        provider.close();
    }

    /** Each version answers every question with its own tag; the second can also log a workout. */
    private static Dataset dataset(String name, String answer, boolean withTool) {
        List<Example> examples = new ArrayList<>();
        for (String q : QUESTIONS) {
            examples.add(Example.of(Message.user(q), Message.assistant(answer + " (" + q + ")")));
        }
        if (withTool) {
            examples.add(Example.of(Message.user("Please log my squat workout"), Message.assistantToolCalls(null,
                    List.of(new ToolCall("call_1", "logWorkout", "{\"exercise\":\"squat\"}")))));
        }
        Dataset dataset = ft.dataset("coach", name);
        dataset.append(examples, "answers of " + name);
        return dataset;
    }

    private static int train(String dataset) {
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("coach", dataset).build())
                .awaitCompletion(Duration.ofMinutes(1));
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        return job.modelVersion().orElseThrow();
    }

    /** A question both versions were trained on (the validation split is not trained on). */
    private static String trainedInBoth(Dataset a, Dataset b) {
        Set<String> inA = trainQuestions(a);
        return trainQuestions(b).stream().filter(inA::contains).findFirst().orElseThrow();
    }

    private static Set<String> trainQuestions(Dataset d) {
        try (Stream<Example> train = d.examples(d.latest().orElseThrow(), Split.TRAIN)) {
            return train.map(e -> e.messages().get(0).content().orElseThrow())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        }
    }

    /** The app's AI Service. */
    interface Coach {
        Result<String> chat(@MemoryId String user, @UserMessage String message);

        TokenStream stream(@MemoryId String user, @UserMessage String message);
    }

    /** The app's tool: its result is the answer (the emulator's models answer from training data only). */
    static final class WorkoutLog {
        final List<String> logged = new ArrayList<>();

        @Tool(value = "Logs a workout", returnBehavior = ReturnBehavior.IMMEDIATE)
        String logWorkout(@P(name = "exercise", value = "the exercise") String exercise) {
            logged.add(exercise);
            return "logged " + exercise;
        }
    }

    private static Coach coach(WorkoutLog log) {
        return AiServices.builder(Coach.class)
                .chatModel(FineTuneChatModel.builder().router(router).assistant("coach").build())
                .streamingChatModel(FineTuneStreamingChatModel.builder().router(router).assistant("coach").build())
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
                .tools(log)
                .chatRequestTransformer(FineTuneChatRequestParameters.subjectFromMemoryId())
                .build();
    }

    private static ServedBy servedBy(ChatResponse response) {
        return ((FineTuneChatResponseMetadata) response.metadata()).servedBy();
    }

    @Test
    void aVersionSwitchInTheMiddleOfAConversation_changesWhoAnswersTheNextTurn() {
        WorkoutLog log = new WorkoutLog();
        Coach coach = coach(log);
        try {
            Result<String> first = coach.chat("alice", question);

            ft.assistant("coach").activate(v2, Change.by("test", "second version, mid-conversation"));
            Result<String> second = coach.chat("alice", question);
            Result<String> tool = coach.chat("alice", "Please log my squat workout");

            assertThat(first.content()).isEqualTo("[v1] Three sets are plenty. (" + question + ")");
            assertThat(servedBy(first.finalResponse()).modelVersion()).isEqualTo(v1);
            assertThat(second.content()).isEqualTo("[v2] Go for five sets. (" + question + ")");
            assertThat(servedBy(second.finalResponse()).modelVersion()).isEqualTo(v2);
            assertThat(second.finalResponse().modelName()).isNotEqualTo(first.finalResponse().modelName());
            assertThat(log.logged).containsExactly("squat");
            assertThat(tool.toolExecutions()).singleElement()
                    .satisfies(t -> assertThat(t.result()).isEqualTo("logged squat"));
            // the memory went along: the second turn's request carried the first turn, answered by v1
            List<RecordedRequest> chats = openai.requests().stream()
                    .filter(r -> r.path().endsWith("/chat/completions")).toList();
            assertThat(chats.get(chats.size() - 2).body()).contains("[v1] Three sets are plenty.",
                    "\"name\":\"logWorkout\"");
        } finally {
            ft.assistant("coach").activate(v1, Change.by("test", "back to the first version"));
        }
    }

    @Test
    void aStreamingAiService_deliversTheAnswerInPieces_withUsageAtTheEnd() throws Exception {
        Coach coach = coach(new WorkoutLog());
        List<String> pieces = new ArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        coach.stream("bob", question).onPartialResponse(pieces::add).onCompleteResponse(done::complete)
                .onError(done::completeExceptionally).start();

        ChatResponse answer = done.get(30, TimeUnit.SECONDS);
        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(String.join("", pieces)).isEqualTo(answer.aiMessage().text())
                .isEqualTo("[v1] Three sets are plenty. (" + question + ")");
        assertThat(answer.tokenUsage().inputTokenCount()).isPositive();
        assertThat(answer.tokenUsage().outputTokenCount()).isPositive();
        assertThat(servedBy(answer).modelVersion()).isEqualTo(v1);
    }
}
