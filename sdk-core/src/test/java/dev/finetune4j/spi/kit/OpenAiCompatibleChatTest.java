package dev.finetune4j.spi.kit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ProviderError;
import dev.finetune4j.TransportException;
import dev.finetune4j.chat.ChatOptions;
import dev.finetune4j.chat.ResponseFormat;
import dev.finetune4j.chat.ToolCallDelta;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.http.RetryOptions;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatStreamListener;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiCompatibleChatTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ApiKey KEY = ApiKey.of("sk-compat-0123456789abcdefghijklmnop");
    private static final String PATH = "/v1/chat/completions";
    private static final String MODEL = "acme/ava-v3";

    private final FakeTime time = new FakeTime(Instant.parse("2026-03-01T12:00:00Z"));

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    private ProviderHttp http(RetryOptions retry) {
        return ProviderHttp.builder("compat", URI.create(wm.baseUrl() + "/v1")).apiKey(KEY).retry(retry)
                .sleeper(time).clock(time).build();
    }

    private OpenAiCompatibleChat chat() {
        return OpenAiCompatibleChat.builder(http(RetryOptions.defaults())).build();
    }

    private static ChatCall.Builder hi() {
        return ChatCall.builder(MODEL).message(Message.system("You are Ava.")).message(Message.user("Hi"));
    }

    private static ChatOptions.Builder options() {
        return ChatOptions.builder();
    }

    private static void answers(String body) {
        wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(okJson(body).withHeader("x-request-id", "req_1")));
    }

    private static void streams(String body) {
        wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withHeader("x-request-id", "req_s").withBody(body)));
    }

    private static String sentBody() {
        return wm.findAll(postRequestedFor(urlPathEqualTo(PATH))).get(0).getBodyAsString();
    }

    private static final String STOP = "{\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"message\":"
            + "{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}";

    // ---- the request ----------------------------------------------------------------------------

    @Test
    void everyOption_goesOnTheWire_underTheConfiguredNames() {
        answers(STOP);
        Map<String, Object> guardrails = new LinkedHashMap<>();
        guardrails.put("level", "strict");
        guardrails.put("topics", List.of("weather", 3, 2.5, true));
        guardrails.put("note", null);
        OpenAiCompatibleChat chat = OpenAiCompatibleChat.builder(http(RetryOptions.defaults()))
                .maxTokensField("max_completion_tokens")
                .seedField("random_seed")
                .header("X-Tenant", "acme")
                .field("safe_prompt", false)
                .build();

        chat.chat(hi().options(ChatOptions.builder().temperature(0.3).topP(0.9).maxTokens(40)
                .stop(List.of("\n\n", "END")).seed(42)
                .responseFormat(ResponseFormat.jsonSchema("weather_answer",
                        "{\"type\": \"object\", \"properties\": {\"c\": {\"type\": \"number\"}}, \"required\": [\"c\"]}",
                        true))
                .extraField("guardrails", guardrails).extraField("prompt_cache_key", "ava-1").build()).build());

        wm.verify(postRequestedFor(urlPathEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + KEY.value()))
                .withHeader("X-Tenant", equalTo("acme"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"model":"acme/ava-v3",
                         "messages":[{"role":"system","content":"You are Ava."},{"role":"user","content":"Hi"}],
                         "temperature":0.3,"top_p":0.9,"max_completion_tokens":40,"stop":["\\n\\n","END"],
                         "random_seed":42,
                         "response_format":{"type":"json_schema","json_schema":{"name":"weather_answer",
                           "schema":{"type":"object","properties":{"c":{"type":"number"}},"required":["c"]},
                           "strict":true}},
                         "safe_prompt":false,
                         "guardrails":{"level":"strict","topics":["weather",3,2.5,true],"note":null},
                         "prompt_cache_key":"ava-1"}
                        """, false, false)));
    }

    @Test
    void theDefaults_areTheProtocolsOwnNames_andOptionsLeftUnsetAreNotSent() {
        answers(STOP);

        chat().chat(ChatCall.builder(MODEL).message(Message.user("Hi").withName("sam"))
                .options(ChatOptions.builder().maxTokens(5).seed(1).responseFormat(ResponseFormat.jsonObject()).build())
                .tool(ToolDefinition.of("now", "The time", null)).build());

        wm.verify(postRequestedFor(urlPathEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model":"acme/ava-v3","messages":[{"role":"user","name":"sam","content":"Hi"}],
                 "tools":[{"type":"function","function":{"name":"now","description":"The time"}}],
                 "max_tokens":5,"seed":1,"response_format":{"type":"json_object"}}
                """, false, false)));
    }

    @Test
    void aProviderWithoutMessageNames_andWithRequiredToolParameters_isConfiguredSo() {
        streams("data: {\"choices\":[{\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n");
        OpenAiCompatibleChat mistralLike = OpenAiCompatibleChat.builder(http(RetryOptions.defaults()))
                .sendMessageName(false)
                .defaultToolParameters("{\"type\": \"object\", \"properties\": {}}")
                .streamUsage(false)
                .build();

        mistralLike.chatStream(ChatCall.builder(MODEL).message(Message.user("Hi").withName("sam"))
                .tool(ToolDefinition.of("undo", null, null))
                .options(ChatOptions.builder().responseFormat(ResponseFormat.text()).build()).build(),
                new ChatStreamListener() { });

        wm.verify(postRequestedFor(urlPathEqualTo(PATH))
                .withHeader("Accept", equalTo("text/event-stream"))
                .withRequestBody(equalToJson("""
                        {"model":"acme/ava-v3","messages":[{"role":"user","content":"Hi"}],
                         "tools":[{"type":"function","function":{"name":"undo",
                           "parameters":{"type":"object","properties":{}}}}],
                         "response_format":{"type":"text"},"stream":true}
                        """, false, false)));
    }

    @Test
    void aStream_asksForItsUsage_byDefault() {
        streams("data: {\"choices\":[{\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n");

        chat().chatStream(hi().build(), new ChatStreamListener() { });

        wm.verify(postRequestedFor(urlPathEqualTo(PATH)).withRequestBody(equalToJson("""
                {"stream":true,"stream_options":{"include_usage":true}}""", false, true)));
    }

    @Test
    void anExtraField_namingAFieldTheCallWrites_isRefusedBeforeAnythingIsSent_butAFixedFieldGivesWay() {
        answers(STOP);
        OpenAiCompatibleChat chat = OpenAiCompatibleChat.builder(http(RetryOptions.defaults()))
                .field("safe_prompt", false).field("temperature", 1.0).build();

        assertThatThrownBy(() -> chat.chat(hi().options(options().temperature(0.2).extraField("temperature", 0.7)
                .build()).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("extra field 'temperature' names a field the chat request already has from the call's "
                        + "own options; set it through them instead");
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(PATH)))).isEmpty();

        chat.chat(hi().options(options().temperature(0.2).extraField("safe_prompt", true).build()).build());

        assertThat(sentBody()).endsWith("\"temperature\":0.2,\"safe_prompt\":true}");
    }

    @Test
    void extraFields_mustBeJsonValues_withTheKeyNamedWhenNot() {
        assertThatThrownBy(() -> options().extraField("when", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("extra field 'when' is a java.time.Instant; use null, a String");
        assertThatThrownBy(() -> options().extraField("n", List.of(1, Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("extra field 'n'[1] is NaN; JSON has no such number");
        assertThatThrownBy(() -> options().extraField(" ", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("extra field name is blank");
    }

    @Test
    void beforeCall_runsFirst_andWhatItThrowsStopsTheCall() {
        List<String> checked = new ArrayList<>();
        OpenAiCompatibleChat chat = OpenAiCompatibleChat.builder(http(RetryOptions.defaults()))
                .beforeCall(call -> {
                    checked.add(call.model());
                    throw new NotFoundException("not served",
                            ProviderError.builder("compat", 404).errorCode("model_not_served").build());
                }).build();

        assertThatThrownBy(() -> chat.chat(hi().build())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> chat.chatStream(hi().build(), new ChatStreamListener() { }))
                .isInstanceOf(NotFoundException.class);

        assertThat(checked).containsExactly(MODEL, MODEL);
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(PATH)))).isEmpty();
    }

    // ---- the per-call timeout -------------------------------------------------------------------

    @Test
    void thePerCallTimeout_boundsAPlainAttempt() {
        wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(okJson(STOP).withFixedDelay(5_000)));
        OpenAiCompatibleChat chat = OpenAiCompatibleChat.builder(http(RetryOptions.none())).build();

        TransportException e = catchThrowableOfType(TransportException.class,
                () -> chat.chat(hi().options(options().timeout(Duration.ofMillis(200)).build()).build()));

        assertThat(e).hasCauseInstanceOf(HttpTimeoutException.class)
                .hasMessageContaining("compat: POST /v1/chat/completions failed after 1 attempt");
    }

    @Test
    void thePerCallTimeout_boundsAStreamToItsEnd() {
        String slow = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n".repeat(20)
                + "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
        wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(slow).withChunkedDribbleDelay(21, 30_000)));
        Recorder r = new Recorder();
        OpenAiCompatibleChat chat = OpenAiCompatibleChat.builder(http(RetryOptions.none())).build();

        // Generous against a loaded machine's slow headers, far shorter than the 30 s the stream takes.
        TransportException e = catchThrowableOfType(TransportException.class,
                () -> chat.chatStream(hi().options(options().timeout(Duration.ofSeconds(3)).build()).build(), r));

        assertThat(e).hasCauseInstanceOf(HttpTimeoutException.class);
        assertThat(e.getCause()).hasMessage("the stream did not end within PT3S");
        assertThat(r.result).isNull();
    }

    // ---- plain answers --------------------------------------------------------------------------

    @Test
    void aPlainAnswer_withToolCalls_isReadWhole() {
        answers("""
                {"id":"c1","object":"chat.completion","model":"acme/ava-v3-served",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Oslo\\"}"}},
                   {"id":"call_2","type":"function","function":{"name":"clock","arguments":{"tz":"CET"}}},
                   {"id":"call_3","type":"function","function":{"name":"now"}}]},
                   "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":30,"completion_tokens":12,"total_tokens":42}}
                """);

        ChatResult r = chat().chat(hi().build());

        assertThat(r).isEqualTo(new ChatResult("", List.of(
                new ToolCall("call_1", "weather", "{\"city\":\"Oslo\"}"),
                new ToolCall("call_2", "clock", "{\"tz\":\"CET\"}"),
                new ToolCall("call_3", "now", "{}")), "tool_calls", new Usage(30, 12), "acme/ava-v3-served", "req_1"));
    }

    @Test
    void aPlainAnswer_withoutFinishReasonOrModelOrUsage_saysUnknown_theModelAskedFor_andNoUsage() {
        answers("{\"choices\":[{\"message\":{\"content\":\"Hello\"}}]}");

        ChatResult r = chat().chat(hi().build());

        assertThat(r).isEqualTo(new ChatResult("Hello", List.of(), ChatResult.UNKNOWN_FINISH_REASON, Usage.NONE,
                MODEL, "req_1"));
    }

    @Test
    void aPlainAnswer_withoutChoices_orNotJson_isAProviderException_quotingIt() {
        answers("{\"object\":\"chat.completion\",\"choices\":[]}");

        assertThatThrownBy(() -> chat().chat(hi().build())).isExactlyInstanceOf(ProviderException.class)
                .hasMessage("compat returned 200 for POST /v1/chat/completions (request req_1): the chat completion "
                        + "has no choices: {\"object\":\"chat.completion\",\"choices\":[]}");

        wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody("<html>proxy</html>")));

        assertThatThrownBy(() -> chat().chat(hi().build())).isExactlyInstanceOf(ProviderException.class)
                .hasMessage("compat returned 200 for POST /v1/chat/completions: the body is not JSON: "
                        + "<html>proxy</html>");
    }

    // ---- streams ---------------------------------------------------------------------------------

    /** Records every call a stream makes, in order. */
    private static final class Recorder implements ChatStreamListener {
        final List<Object> events = new ArrayList<>();
        ChatResult result;

        @Override
        public void onText(String text) {
            events.add(text);
        }

        @Override
        public void onToolCallDelta(ToolCallDelta delta) {
            events.add(delta);
        }

        @Override
        public void onComplete(ChatResult result) {
            events.add("complete");
            this.result = result;
        }
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"" + MODEL
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
    }

    @Test
    void aStream_deliversTextAndToolCallPieces_assemblesSeveralCallsByIndex_andTakesTheUsageAtTheEnd() {
        streams(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null)
                + chunk("{\"content\":\"Let me \"}", null)
                + chunk("{\"content\":\"check.\"}", null)
                + ": keep-alive\n\n"
                + chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":"
                        + "{\"name\":\"weather\",\"arguments\":\"\"}}]}", null)
                + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", null)
                + chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":"
                        + "{\"name\":\"clock\",\"arguments\":\"{\\\"tz\\\"\"}}]}", null)
                + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Oslo\\\"}\"}},"
                        + "{\"index\":1,\"function\":{\"arguments\":\":\\\"CET\\\"}\"}}]}", null)
                + chunk("{}", "tool_calls")
                + "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":17}}\n\n"
                + "data: [DONE]\n\n");
        Recorder r = new Recorder();

        chat().chatStream(hi().build(), r);

        assertThat(r.events).containsExactly("Let me ", "check.",
                new ToolCallDelta(0, "call_a", "weather", ""),
                new ToolCallDelta(0, "", "", "{\"city\":"),
                new ToolCallDelta(1, "call_b", "clock", "{\"tz\""),
                new ToolCallDelta(0, "", "", "\"Oslo\"}"),
                new ToolCallDelta(1, "", "", ":\"CET\"}"),
                "complete");
        assertThat(r.result).isEqualTo(new ChatResult("Let me check.", List.of(
                new ToolCall("call_a", "weather", "{\"city\":\"Oslo\"}"),
                new ToolCall("call_b", "clock", "{\"tz\":\"CET\"}")), "tool_calls", new Usage(31, 17), MODEL, "req_s"));
    }

    @Test
    void aStream_sendingEachCallWholeAtIndexZero_keepsTheCallsApart_byTheirIds() {
        streams(chunk("{\"tool_calls\":[{\"id\":\"Ab3De6Gh9\",\"function\":{\"name\":\"log_set\","
                        + "\"arguments\":\"{\\\"reps\\\":12}\"},\"index\":0}]}", null)
                + chunk("{\"tool_calls\":[{\"id\":\"Zz9Yy8Xx7\",\"function\":{\"name\":\"log_set\","
                        + "\"arguments\":\"{\\\"reps\\\":8}\"},\"index\":0}]}", "tool_calls")
                + "data: [DONE]\n\n");
        Recorder r = new Recorder();

        chat().chatStream(hi().build(), r);

        assertThat(r.result.toolCalls()).containsExactly(new ToolCall("Ab3De6Gh9", "log_set", "{\"reps\":12}"),
                new ToolCall("Zz9Yy8Xx7", "log_set", "{\"reps\":8}"));
        assertThat(r.events).contains(new ToolCallDelta(1, "Zz9Yy8Xx7", "log_set", "{\"reps\":8}"));
    }

    @Test
    void aStream_cutBeforeItsFinishReason_isATransportException_saysSo_andCompletesNothing() {
        streams(chunk("{\"content\":\"Hel\"}", null) + chunk("{\"content\":\"lo\"}", null));
        Recorder r = new Recorder();

        TransportException e = catchThrowableOfType(TransportException.class, () -> chat().chatStream(hi().build(), r));

        assertThat(e).hasMessage("compat: the chat stream of POST /v1/chat/completions for acme/ava-v3 ended before "
                + "the answer finished: no chunk carried a finish_reason (received 2 chunks, 5 characters of text); "
                + "the answer is incomplete");
        assertThat(e.mayHaveReachedServer()).isTrue();
        assertThat(r.events).containsExactly("Hel", "lo");

        streams(chunk("{\"content\":\"Hel\"}", null) + "data: [DONE]\n\n");

        assertThatThrownBy(() -> chat().chatStream(hi().build(), new Recorder()))
                .isInstanceOf(TransportException.class).hasMessageContaining("no chunk carried a finish_reason");
    }

    @Test
    void aChunkThatIsNotJson_isAProviderException_withTheProviderThePathAndABoundedExcerpt() {
        streams(chunk("{\"content\":\"Hel\"}", null) + "data: <html>" + "x".repeat(2_000) + "</html>\n\n");

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> chat().chatStream(hi().build(), new Recorder()));

        assertThat(e).isExactlyInstanceOf(ProviderException.class)
                .hasMessageStartingWith("compat returned 200 for POST /v1/chat/completions (request req_s): a chunk of "
                        + "the chat stream is not JSON: <html>xxx");
        assertThat(e.getMessage()).hasSizeLessThan(700).endsWith("x…");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void anErrorInsideTheStream_isMappedLikeAnHttpError_whetherAChunkOrAnErrorEvent() {
        streams(chunk("{\"content\":\"Hel\"}", null) + "data: {\"error\":{\"object\":\"error\",\"message\":"
                + "\"maximum context length is 4096 tokens\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}\n\n");

        assertThatThrownBy(() -> chat().chatStream(hi().build(), new Recorder()))
                .isExactlyInstanceOf(InvalidRequestException.class)
                .hasMessage("compat returned 400 for POST /v1/chat/completions (request req_s): error in the stream: "
                        + "maximum context length is 4096 tokens");

        streams(chunk("{\"content\":\"Hel\"}", null) + "event: error\ndata: {\"error\":{\"message\":\"The server had "
                + "an error\",\"type\":\"server_error\",\"code\":null}}\n\n");

        assertThatThrownBy(() -> chat().chatStream(hi().build(), new Recorder()))
                .isExactlyInstanceOf(ProviderException.class)
                .hasMessage("compat returned 200 server_error for POST /v1/chat/completions (request req_s): error in "
                        + "the stream: The server had an error");
    }

    @Test
    void theKey_neverAppearsInAnExceptionMessage_whereverTheServerEchoesIt() {
        String k = KEY.value();
        wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + k + "\",\"code\":\"invalid_api_key\"}}")));
        List<Exception> failures = new ArrayList<>();
        failures.add(catchThrowableOfType(ProviderException.class, () -> chat().chat(hi().build())));
        answers("{\"echo\":\"" + k + "\",\"choices\":[]}");
        failures.add(catchThrowableOfType(ProviderException.class, () -> chat().chat(hi().build())));
        streams("data: not json " + k + "\n\n");
        failures.add(catchThrowableOfType(ProviderException.class, () -> chat().chatStream(hi().build(), new Recorder())));
        streams("data: {\"error\":{\"message\":\"bad key " + k + "\",\"code\":401}}\n\n");
        failures.add(catchThrowableOfType(ProviderException.class, () -> chat().chatStream(hi().build(), new Recorder())));

        assertThat(failures).hasSize(4).allSatisfy(e -> {
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).doesNotContain(k).contains("****");
            assertThat(((ProviderException) e).rawBody()).doesNotContain(k);
        });
    }
}
