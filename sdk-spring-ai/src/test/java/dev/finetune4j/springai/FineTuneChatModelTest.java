package dev.finetune4j.springai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.springai.RoutedStub.BASE;
import static dev.finetune4j.springai.RoutedStub.V1;
import static dev.finetune4j.springai.RoutedStub.V2;
import static dev.finetune4j.springai.RoutedStub.answers;
import static dev.finetune4j.springai.RoutedStub.chatPost;
import static dev.finetune4j.springai.RoutedStub.chunk;
import static dev.finetune4j.springai.RoutedStub.streams;
import static dev.finetune4j.springai.RoutedStub.usageAndDone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.finetune4j.AuthenticationException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.Arm;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.ServedBy;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.ai.chat.client.AdvisorParams;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/**
 * The Spring AI model and advisor on the real OpenAI provider and router, against a WireMock stub:
 * what goes out on the wire, what comes back, tools, structured output, streaming, pins and the
 * subject.
 */
class FineTuneChatModelTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private RoutedStub stub;
    private FineTuneChatModel model;
    private ChatClient chat;

    @BeforeEach
    void setUp() {
        stub = new RoutedStub(wm, ChatRouter.Options.defaults().withFallback(false));
        model = FineTuneChatModel.builder().router(stub.router).assistant("ava").build();
        chat = ChatClient.builder(model).defaultAdvisors(new FineTuneAdvisor()).build();
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    private static ServedBy servedBy(ChatResponse response) {
        return (ServedBy) response.getMetadata().get(FineTuneChatModel.SERVED_BY);
    }

    @Test
    void call_sendsTheMessagesAndOptions_andAnswersWithUsageAndWhatServedIt() {
        wm.stubFor(answers(chatPost(), V1, "{\"role\":\"assistant\",\"content\":\"Hello Ana!\"}", "stop"));

        ChatResponse answer = chat.prompt().system("You are Ava.").user("Hi, I am Ana")
                .options(FineTuneChatOptions.builder().temperature(0.2).topP(0.8).maxTokens(40)
                        .stopSequences(List.of("END")).frequencyPenalty(0.5).seed(3).build())
                .call().chatResponse();

        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(equalToJson("""
                {"model":"%s","messages":[{"role":"system","content":"You are Ava."},
                  {"role":"user","content":"Hi, I am Ana"}],
                 "temperature":0.2,"top_p":0.8,"max_completion_tokens":40,"stop":["END"],"seed":3,
                 "frequency_penalty":0.5}
                """.formatted(V1), false, true)));
        assertThat(answer.getResult().getOutput().getText()).isEqualTo("Hello Ana!");
        assertThat(answer.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
        assertThat(answer.getMetadata().getModel()).isEqualTo(V1);
        assertThat(answer.getMetadata().getUsage().getPromptTokens()).isEqualTo(21);
        assertThat(answer.getMetadata().getUsage().getCompletionTokens()).isEqualTo(5);
        assertThat(servedBy(answer).modelVersion()).isEqualTo(1);
        assertThat(servedBy(answer).arm()).isEqualTo(Arm.ACTIVE);
    }

    /** A tool of the app, as Spring AI declares them. */
    static final class WeatherTools {
        final List<String> asked = new ArrayList<>();

        @Tool(description = "The weather of a city")
        String weather(@ToolParam(description = "the city") String city) {
            asked.add(city);
            return "sunny in " + city;
        }
    }

    private void toolThenAnswer() {
        wm.stubFor(answers(chatPost().withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]")), V1,
                "{\"role\":\"assistant\",\"content\":\"It is sunny in Paris.\"}", "stop").atPriority(1));
        wm.stubFor(answers(chatPost(), V1, "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":"
                + "\"call_9\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":"
                + "\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}", "tool_calls").atPriority(5));
    }

    @Test
    void tools_areOffered_executedByTheModel_andTheirResultSentBack_withTheUsageSummed() {
        toolThenAnswer();
        WeatherTools tools = new WeatherTools();

        ChatResponse answer = chat.prompt().user("Weather in Paris?").tools(tools).call().chatResponse();

        assertThat(answer.getResult().getOutput().getText()).isEqualTo("It is sunny in Paris.");
        assertThat(tools.asked).containsExactly("Paris");
        List<LoggedRequest> sent = wm.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).getBodyAsString()).contains("\"name\":\"weather\"", "The weather of a city",
                "\"city\"");
        assertThat(sent.get(1).getBodyAsString()).contains("\"tool_call_id\":\"call_9\"", "sunny in Paris");
        assertThat(answer.getMetadata().getUsage().getPromptTokens()).isEqualTo(42);
    }

    @Test
    void withInternalToolExecutionOff_theToolCallsComeBackToTheCaller() {
        toolThenAnswer();

        ChatResponse answer = chat.prompt().user("Weather in Paris?").tools(new WeatherTools())
                .options(FineTuneChatOptions.builder().internalToolExecutionEnabled(false).build())
                .call().chatResponse();

        assertThat(answer.getResult().getOutput().getToolCalls()).containsExactly(
                new AssistantMessage.ToolCall("call_9", "function", "weather", "{\"city\":\"Paris\"}"));
        assertThat(answer.getResult().getMetadata().getFinishReason()).isEqualTo("TOOL_CALLS");
    }

    /** A structured answer. */
    record Workout(String exercise, int reps) {}

    @Test
    void nativeStructuredOutput_sendsTheSchemaAsAStrictResponseFormat() {
        wm.stubFor(answers(chatPost(), V1,
                "{\"role\":\"assistant\",\"content\":\"{\\\"exercise\\\":\\\"Deadlift\\\",\\\"reps\\\":5}\"}",
                "stop"));

        Workout workout = chat.prompt().user("deadlift 5 reps").advisors(AdvisorParams.ENABLE_NATIVE_STRUCTURED_OUTPUT)
                .call().entity(Workout.class);

        assertThat(workout).isEqualTo(new Workout("Deadlift", 5));
        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema")))
                .withRequestBody(matchingJsonPath("$.response_format.json_schema.strict", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.response_format.json_schema.schema.properties.reps"))
                // the user's text reaches the model as typed: no format instructions appended
                .withRequestBody(matchingJsonPath("$.messages[0].content", equalTo("deadlift 5 reps"))));
    }

    @Test
    void advisorParameters_pinAVersion_andTheResponseContextSaysWhatAnswered() {
        wm.stubFor(answers(chatPost().withRequestBody(matchingJsonPath("$.model", equalTo(V2))), V2,
                "{\"role\":\"assistant\",\"content\":\"v2 here\"}", "stop"));
        wm.stubFor(answers(chatPost().withRequestBody(matchingJsonPath("$.model", equalTo(BASE))), BASE,
                "{\"role\":\"assistant\",\"content\":\"base here\"}", "stop"));

        ChatClientResponse pinned = chat.prompt().user("Hi")
                .advisors(a -> a.param(FineTuneAdvisor.PIN_MODEL_VERSION, 2)).call().chatClientResponse();
        ChatClientResponse base = chat.prompt().user("Hi")
                .advisors(a -> a.param(FineTuneAdvisor.PIN_BASE_MODEL, true)).call().chatClientResponse();

        assertThat(pinned.chatResponse().getResult().getOutput().getText()).isEqualTo("v2 here");
        assertThat((ServedBy) pinned.context().get(FineTuneAdvisor.SERVED_BY)).satisfies(s -> {
            assertThat(s.modelVersion()).isEqualTo(2);
            assertThat(s.arm()).isEqualTo(Arm.PINNED);
        });
        assertThat(base.chatResponse().getResult().getOutput().getText()).isEqualTo("base here");
        assertThat(((ServedBy) base.context().get(FineTuneAdvisor.SERVED_BY)).baseModel()).isTrue();
        assertThatThrownBy(() -> chat.prompt().user("Hi").advisors(a -> a.param(FineTuneAdvisor.PIN_MODEL_VERSION,
                "two")).call().content())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'two'");
    }

    @Test
    void theChatMemoryConversationId_keepsEachConversationOnOneArmOfACanary() {
        wm.stubFor(answers(chatPost().withRequestBody(matchingJsonPath("$.model", equalTo(V1))), V1,
                "{\"role\":\"assistant\",\"content\":\"v1\"}", "stop"));
        wm.stubFor(answers(chatPost().withRequestBody(matchingJsonPath("$.model", equalTo(V2))), V2,
                "{\"role\":\"assistant\",\"content\":\"v2\"}", "stop"));
        stub.ava.setCandidate(2, 50, Change.by("test", "half and half"));
        ChatMemory memory = MessageWindowChatMemory.builder().maxMessages(4).build();
        ChatClient withMemory = chat.mutate().defaultAdvisors(MessageChatMemoryAdvisor.builder(memory).build())
                .build();

        Map<String, Set<String>> armsByUser = new HashMap<>();
        for (int user = 0; user < 20; user++) {
            String id = "user-" + user;
            for (int turn = 0; turn < 4; turn++) {
                armsByUser.computeIfAbsent(id, u -> new HashSet<>()).add(withMemory.prompt().user("turn " + turn)
                        .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, id)).call().content());
            }
        }

        assertThat(armsByUser.values()).allSatisfy(arms -> assertThat(arms).hasSize(1));
        assertThat(armsByUser.values().stream().flatMap(Set::stream)).contains("v1", "v2");
    }

    @Test
    void stream_sendsTextPieces_thenALastResponseWithUsageAndWhatServedIt() {
        wm.stubFor(streams(chatPost(), chunk(V1, "{\"role\":\"assistant\",\"content\":\"\"}", null)
                + chunk(V1, "{\"content\":\"Hel\"}", null) + chunk(V1, "{\"content\":\"lo!\"}", null)
                + chunk(V1, "{}", "stop") + usageAndDone(21, 3)));

        List<ChatClientResponse> responses = chat.prompt().user("Hi").stream().chatClientResponse().collectList()
                .block();

        assertThat(responses).extracting(r -> r.chatResponse().getResult().getOutput().getText())
                .containsExactly("Hel", "lo!", "");
        ChatResponse last = responses.get(2).chatResponse();
        assertThat(last.getMetadata().getUsage().getPromptTokens()).isEqualTo(21);
        assertThat(last.getMetadata().getUsage().getCompletionTokens()).isEqualTo(3);
        assertThat(last.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
        assertThat(((ServedBy) responses.get(2).context().get(FineTuneAdvisor.SERVED_BY)).modelVersion())
                .isEqualTo(1);
    }

    @Test
    void stream_deliversToolCalls_andRunsTheToolLoop_whenTheModelExecutesTools() {
        String toolCall = chunk(V1, "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
                + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]}",
                null) + chunk(V1, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                + "\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}", null) + chunk(V1, "{}", "tool_calls") + usageAndDone(30, 12);
        wm.stubFor(streams(chatPost().withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]")),
                chunk(V1, "{\"content\":\"Sunny.\"}", null) + chunk(V1, "{}", "stop") + usageAndDone(50, 2))
                .atPriority(1));
        wm.stubFor(streams(chatPost(), toolCall).atPriority(5));
        WeatherTools tools = new WeatherTools();

        List<ChatResponse> outside = model.stream(new Prompt("Weather in Paris?", FineTuneChatOptions.builder()
                .toolCallbacks(org.springframework.ai.support.ToolCallbacks.from(tools))
                .internalToolExecutionEnabled(false).build())).collectList().block();
        List<ChatResponse> inside = model.stream(new Prompt("Weather in Paris?", FineTuneChatOptions.builder()
                .toolCallbacks(org.springframework.ai.support.ToolCallbacks.from(tools)).build())).collectList()
                .block();

        ChatResponse calls = outside.get(outside.size() - 1);
        assertThat(calls.getResult().getOutput().getToolCalls()).containsExactly(
                new AssistantMessage.ToolCall("call_1", "function", "weather", "{\"city\":\"Paris\"}"));
        assertThat(calls.getMetadata().getUsage().getCompletionTokens()).isEqualTo(12);
        assertThat(tools.asked).containsExactly("Paris");
        assertThat(inside).extracting(r -> r.getResult().getOutput().getText()).contains("Sunny.");
        ChatResponse last = inside.get(inside.size() - 1);
        assertThat(last.getMetadata().getUsage().getPromptTokens()).isEqualTo(80);
    }

    @Test
    void errors_areTheRoutersExceptions_inCallAndStream() {
        wm.stubFor(chatPost().willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
                        + "\"param\":null,\"code\":\"invalid_api_key\"}}")));

        assertThatThrownBy(() -> chat.prompt().user("Hi").call().content())
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("Incorrect API key");
        assertThatThrownBy(() -> chat.prompt().user("Hi").stream().content().collectList().block())
                .isInstanceOf(AuthenticationException.class);
        FineTuneChatModel nobody = FineTuneChatModel.builder().router(stub.router).assistant("nobody").build();
        assertThatThrownBy(() -> nobody.call(new Prompt("Hi"))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("nobody");
    }

    @Test
    void calls_areObservedAsSpringAisChatModelOperation() {
        wm.stubFor(answers(chatPost(), V1, "{\"role\":\"assistant\",\"content\":\"Hello\"}", "stop"));
        List<String> seen = new ArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<ChatModelObservationContext>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof ChatModelObservationContext;
            }

            @Override
            public void onStop(ChatModelObservationContext context) {
                seen.add(context.getName() + " " + context.getOperationMetadata().provider() + " "
                        + context.getResponse().getMetadata().getModel());
            }
        });
        FineTuneChatModel observed = FineTuneChatModel.builder().router(stub.router).assistant("ava")
                .observationRegistry(registry).build();

        observed.call(new Prompt("Hi"));

        assertThat(seen).containsExactly("gen_ai.client.operation finetune4j " + V1);
    }

    @Test
    void builder_needsARouterAndAnAssistant_andTheDefaultsNameTheAssistant() {
        assertThatThrownBy(() -> FineTuneChatModel.builder().assistant("ava").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("router");
        assertThatThrownBy(() -> FineTuneChatModel.builder().router(stub.router).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("assistant");
        assertThat(model.getDefaultOptions().getModel()).isEqualTo("ava");
    }
}
