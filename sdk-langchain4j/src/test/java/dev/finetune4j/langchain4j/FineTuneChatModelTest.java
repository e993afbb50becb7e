package dev.finetune4j.langchain4j;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.langchain4j.RoutedStub.BASE;
import static dev.finetune4j.langchain4j.RoutedStub.V1;
import static dev.finetune4j.langchain4j.RoutedStub.V2;
import static dev.finetune4j.langchain4j.RoutedStub.answers;
import static dev.finetune4j.langchain4j.RoutedStub.chatPost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.Arm;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.ServedBy;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The blocking model on the real OpenAI provider and router, against a WireMock stub: what goes
 * out on the wire, what comes back, errors, listeners, pins and the subject of AI Services.
 */
class FineTuneChatModelTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private RoutedStub stub;
    private FineTuneChatModel model;

    @BeforeEach
    void setUp() {
        stub = new RoutedStub(wm, ChatRouter.Options.defaults().withFallback(false));
        model = FineTuneChatModel.builder().router(stub.router).assistant("ava").build();
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    private static final ToolSpecification WEATHER = ToolSpecification.builder().name("weather")
            .description("The weather of a city")
            .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build())
            .build();

    @Test
    void chat_sendsEveryMessageKindToolsAndOptions_andMapsTheAnswerWithWhatServedIt() {
        wm.stubFor(answers(chatPost(), V1, "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":"
                + "\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":"
                + "\"{\\\"city\\\":\\\"Lyon\\\"}\"}}]}", "tool_calls"));
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from("You are Ava."), UserMessage.from("Weather in Paris?"),
                        AiMessage.from(ToolExecutionRequest.builder().id("call_1").name("weather")
                                .arguments("{\"city\":\"Paris\"}").build()),
                        ToolExecutionResultMessage.from("call_1", "weather", "sunny"),
                        UserMessage.from("And in Lyon?"))
                .parameters(FineTuneChatRequestParameters.builder()
                        .toolSpecifications(WEATHER).toolChoice(ToolChoice.REQUIRED)
                        .temperature(0.3).topP(0.9).maxOutputTokens(50).stopSequences("END")
                        .frequencyPenalty(0.5).presencePenalty(0.25).seed(7)
                        .build())
                .build();

        ChatResponse answer = model.chat(request);

        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(equalToJson("""
                {"model":"%s","messages":[
                  {"role":"system","content":"You are Ava."},
                  {"role":"user","content":"Weather in Paris?"},
                  {"role":"assistant","tool_calls":[{"id":"call_1","type":"function",
                    "function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"sunny"},
                  {"role":"user","content":"And in Lyon?"}],
                 "tools":[{"type":"function","function":{"name":"weather","description":"The weather of a city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
                 "temperature":0.3,"top_p":0.9,"max_completion_tokens":50,"stop":["END"],"seed":7,
                 "frequency_penalty":0.5,"presence_penalty":0.25,"tool_choice":"required"}
                """.formatted(V1), false, true)));
        assertThat(answer.aiMessage().text()).isNull();
        assertThat(answer.aiMessage().toolExecutionRequests()).containsExactly(ToolExecutionRequest.builder()
                .id("call_2").name("weather").arguments("{\"city\":\"Lyon\"}").build());
        assertThat(answer.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(answer.tokenUsage().inputTokenCount()).isEqualTo(21);
        assertThat(answer.tokenUsage().outputTokenCount()).isEqualTo(5);
        assertThat(answer.modelName()).isEqualTo(V1);
        ServedBy servedBy = ((FineTuneChatResponseMetadata) answer.metadata()).servedBy();
        assertThat(servedBy.modelVersion()).isEqualTo(1);
        assertThat(servedBy.arm()).isEqualTo(Arm.ACTIVE);
        assertThat(servedBy.fallback()).isFalse();
    }

    @Test
    void chat_aJsonSchemaResponseFormat_isSentAsResponseFormat_strictWhenAsked() {
        wm.stubFor(answers(chatPost(), V1, "{\"role\":\"assistant\",\"content\":\"{\\\"reps\\\":5}\"}", "stop"));
        FineTuneChatModel strict = FineTuneChatModel.builder().router(stub.router).assistant("ava")
                .strictJsonSchema(true).build();
        ResponseFormat format = ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(JsonSchema.builder()
                .name("Set").rootElement(JsonObjectSchema.builder().addIntegerProperty("reps").required("reps").build())
                .build()).build();

        ChatResponse answer = strict.chat(ChatRequest.builder().messages(UserMessage.from("deadlift 5 reps"))
                .responseFormat(format).build());

        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(equalToJson("""
                {"response_format":{"type":"json_schema","json_schema":{"name":"Set","strict":true,"schema":
                  {"type":"object","properties":{"reps":{"type":"integer"}},"required":["reps"],
                   "additionalProperties":false}}}}
                """, false, true)));
        assertThat(answer.aiMessage().text()).isEqualTo("{\"reps\":5}");
        assertThat(answer.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void pins_chooseTheVersion_andTheModelNameChoosesTheAssistant() {
        wm.stubFor(answers(chatPost().withRequestBody(matchingJsonPath("$.model", equalTo(V2))), V2,
                "{\"role\":\"assistant\",\"content\":\"v2 here\"}", "stop"));
        wm.stubFor(answers(chatPost().withRequestBody(matchingJsonPath("$.model", equalTo(BASE))), BASE,
                "{\"role\":\"assistant\",\"content\":\"base here\"}", "stop"));
        stub.ft.createAssistant("bob", "openai", BASE);

        ChatResponse pinned = model.chat(ChatRequest.builder().messages(UserMessage.from("Hi"))
                .parameters(FineTuneChatRequestParameters.builder().pinModelVersion(2).build()).build());
        ChatResponse base = model.chat(ChatRequest.builder().messages(UserMessage.from("Hi"))
                .parameters(FineTuneChatRequestParameters.builder().pinBaseModel(true).build()).build());
        ChatResponse bob = model.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).modelName("bob").build());

        assertThat(pinned.aiMessage().text()).isEqualTo("v2 here");
        assertThat(servedBy(pinned).arm()).isEqualTo(Arm.PINNED);
        assertThat(servedBy(pinned).modelVersion()).isEqualTo(2);
        assertThat(base.aiMessage().text()).isEqualTo("base here");
        assertThat(servedBy(base).baseModel()).isTrue();
        assertThat(servedBy(bob).assistant()).isEqualTo("bob");
        assertThat(bob.aiMessage().text()).isEqualTo("base here");
    }

    @ParameterizedTest
    @CsvSource({
            "401, invalid_api_key, dev.langchain4j.exception.AuthenticationException",
            "429, rate_limit_exceeded, dev.langchain4j.exception.RateLimitException",
            "400, content_filter, dev.langchain4j.exception.ContentFilteredException",
            "400, invalid_value, dev.langchain4j.exception.InvalidRequestException",
            "404, model_not_found, dev.langchain4j.exception.ModelNotFoundException",
            "500, server_error, dev.langchain4j.exception.InternalServerException",
    })
    void providerErrors_areLangChain4jsExceptions_withTheRouterExceptionAsCause(int status, String code,
            String expected) throws ClassNotFoundException {
        wm.stubFor(chatPost().willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"scripted " + status + "\",\"type\":\"x\",\"param\":null,"
                        + "\"code\":\"" + code + "\"}}")));

        assertThatThrownBy(() -> model.chat("Hi"))
                .isExactlyInstanceOf(Class.forName(expected))
                .hasMessageContaining("scripted " + status)
                .cause().satisfies(c -> {
                    // a 404 is a NotFoundException carrying the provider's error, the rest ProviderExceptions
                    dev.finetune4j.ProviderError p = c instanceof ProviderException pe ? pe.providerError()
                            : ((dev.finetune4j.NotFoundException) c).providerError().orElseThrow();
                    assertThat(p.statusCode()).isEqualTo(status);
                    assertThat(p.errorCode()).contains(code);
                });
    }

    @Test
    void errorTypes_followLangChain4jsHierarchy() {
        assertThat(new ContentFilteredException("x")).isInstanceOf(InvalidRequestException.class);
        assertThat(new AuthenticationException("x")).isInstanceOf(LangChain4jException.class);
        assertThat(new RateLimitException("x")).isInstanceOf(dev.langchain4j.exception.RetriableException.class);
        assertThat(new InternalServerException("x")).isInstanceOf(dev.langchain4j.exception.RetriableException.class);
    }

    @Test
    void anUnknownAssistant_isModelNotFound() {
        FineTuneChatModel nobody = FineTuneChatModel.builder().router(stub.router).assistant("nobody").build();

        assertThatThrownBy(() -> nobody.chat("Hi"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("nobody")
                .cause().isInstanceOf(FineTuneException.class);
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void contentTheRouterCannotCarry_isRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).topK(5).build()))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("topK");
        assertThatThrownBy(() -> model.chat(UserMessage.from(
                dev.langchain4j.data.message.ImageContent.from("https://example.com/cat.png"))))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("IMAGE");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void listeners_hearTheRequestAndTheAnswer_orTheError() {
        List<String> heard = new ArrayList<>();
        ChatModelListener listener = new ChatModelListener() {
            @Override
            public void onRequest(ChatModelRequestContext c) {
                heard.add("request to " + c.chatRequest().modelName());
            }

            @Override
            public void onResponse(ChatModelResponseContext c) {
                heard.add("answer from " + c.chatResponse().modelName() + " v"
                        + servedBy(c.chatResponse()).modelVersion());
            }

            @Override
            public void onError(ChatModelErrorContext c) {
                heard.add("error " + c.error().getClass().getSimpleName());
            }
        };
        FineTuneChatModel listened = FineTuneChatModel.builder().router(stub.router).assistant("ava")
                .listeners(List.of(listener)).build();
        wm.stubFor(answers(chatPost(), V1, "{\"role\":\"assistant\",\"content\":\"Hello\"}", "stop"));

        listened.chat("Hi");
        wm.resetAll();
        wm.stubFor(chatPost().willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> listened.chat("Hi")).isInstanceOf(InternalServerException.class);

        assertThat(heard).containsExactly("request to ava", "answer from " + V1 + " v1", "request to ava",
                "error InternalServerException");
    }

    /** The AI Service of a weather assistant. */
    interface WeatherAssistant {
        String ask(@MemoryId String user, @dev.langchain4j.service.UserMessage String question);
    }

    /** The tool it may call. */
    static final class WeatherTool {
        final List<String> asked = new ArrayList<>();

        @Tool("The weather of a city")
        String weather(@P(name = "city", value = "the city") String city) {
            asked.add(city);
            return "sunny in " + city;
        }
    }

    @Test
    void aiServices_runTheToolTheModelCalls_andSendItsResultBack_withTheMemory() {
        // first turn of each question: the model calls the tool; once the tool's result is there, it answers
        wm.stubFor(answers(chatPost().withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]")), V1,
                "{\"role\":\"assistant\",\"content\":\"It is sunny in Paris.\"}", "stop").atPriority(1));
        wm.stubFor(answers(chatPost(), V1, "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":"
                + "\"call_9\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":"
                + "\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}", "tool_calls").atPriority(5));
        WeatherTool tool = new WeatherTool();
        WeatherAssistant assistant = AiServices.builder(WeatherAssistant.class)
                .chatModel(model)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
                .tools(tool)
                .chatRequestTransformer(FineTuneChatRequestParameters.subjectFromMemoryId())
                .build();

        String answer = assistant.ask("user-1", "What is the weather in Paris?");

        assertThat(answer).isEqualTo("It is sunny in Paris.");
        assertThat(tool.asked).containsExactly("Paris");
        List<LoggedRequest> sent = wm.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).getBodyAsString()).contains("\"name\":\"weather\"", "The weather of a city");
        assertThat(sent.get(1).getBodyAsString()).contains("\"role\":\"tool\"", "\"tool_call_id\":\"call_9\"",
                "sunny in Paris", "\"content\":\"What is the weather in Paris?\"");
    }

    @Test
    void subjectFromMemoryId_keepsEachConversationOnOneArmOfACanary() {
        wm.stubFor(answers(chatPost().withRequestBody(matchingJsonPath("$.model", equalTo(V1))), V1,
                "{\"role\":\"assistant\",\"content\":\"v1\"}", "stop"));
        wm.stubFor(answers(chatPost().withRequestBody(matchingJsonPath("$.model", equalTo(V2))), V2,
                "{\"role\":\"assistant\",\"content\":\"v2\"}", "stop"));
        stub.ava.setCandidate(2, 50, Change.by("test", "half and half"));
        WeatherAssistant assistant = AiServices.builder(WeatherAssistant.class)
                .chatModel(model)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(4))
                .chatRequestTransformer(FineTuneChatRequestParameters.subjectFromMemoryId())
                .build();

        Map<String, Set<String>> armsByUser = new HashMap<>();
        for (int user = 0; user < 20; user++) {
            for (int turn = 0; turn < 4; turn++) {
                armsByUser.computeIfAbsent("user-" + user, u -> new HashSet<>())
                        .add(assistant.ask("user-" + user, "turn " + turn));
            }
        }

        assertThat(armsByUser.values()).allSatisfy(arms -> assertThat(arms).hasSize(1));
        assertThat(armsByUser.values().stream().flatMap(Set::stream)).contains("v1", "v2");
    }

    @Test
    void subjectFromMemoryId_leavesTheSharedDefaultMemoryAndAnExplicitSubjectAlone() {
        ChatRequest plain = ChatRequest.builder().messages(UserMessage.from("Hi")).build();
        ChatRequest explicit = ChatRequest.builder().messages(UserMessage.from("Hi"))
                .parameters(FineTuneChatRequestParameters.builder().subject("alice").build()).build();

        var transformer = FineTuneChatRequestParameters.subjectFromMemoryId();

        assertThat(transformer.apply(plain, "default")).isSameAs(plain);
        assertThat(((FineTuneChatRequestParameters) transformer.apply(explicit, "user-1").parameters()).subject())
                .isEqualTo("alice");
        assertThat(((FineTuneChatRequestParameters) transformer.apply(plain, 42).parameters()).subject())
                .isEqualTo("42");
    }

    @Test
    void builder_needsARouterAndAnAssistant() {
        assertThatThrownBy(() -> FineTuneChatModel.builder().assistant("ava").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("router");
        assertThatThrownBy(() -> FineTuneChatModel.builder().router(stub.router).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("assistant");
    }

    static ServedBy servedBy(ChatResponse response) {
        return ((FineTuneChatResponseMetadata) response.metadata()).servedBy();
    }
}
