package dev.finetune4j.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.ProviderException;
import dev.finetune4j.TransportException;
import dev.finetune4j.chat.ChatOptions;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatStreamListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiChatTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String MODEL = "ft:gpt-4o-mini-2024-07-18:acme:ava:96olL566";

    private final TestSupport.FakeTime time = new TestSupport.FakeTime();
    private OpenAiProvider openai;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        openai = TestSupport.provider(TestSupport.config(wm, time).build());
    }

    private static ChatCall simple(Integer maxTokens) {
        ChatCall.Builder b = ChatCall.builder(MODEL).message(Message.system("You are Ava.")).message(Message.user("Hi"));
        if (maxTokens != null) {
            b.options(ChatOptions.builder().maxTokens(maxTokens).build());
        }
        return b.build();
    }

    private static String completion(String message, String finish) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1721764800,\"model\":\"" + MODEL
                + "\",\"choices\":[{\"index\":0,\"message\":" + message + ",\"logprobs\":null,\"finish_reason\":\""
                + finish + "\"}],\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":5,\"total_tokens\":26},"
                + "\"system_fingerprint\":\"fp_1\"}";
    }

    @Test
    void chat_sendsEveryMessagePart_butNeverTheTrainingWeight_andParsesTheAnswer() {
        wm.stubFor(post("/v1/chat/completions").willReturn(okJson(completion(
                "{\"role\":\"assistant\",\"content\":\"Sunny, 21 degrees.\",\"refusal\":null}", "stop"))
                .withHeader("x-request-id", "req_chat")));
        ChatCall call = ChatCall.builder(MODEL).messages(List.of(
                Message.system("You are Ava."),
                Message.user("Weather in Paris?").withName("sam"),
                Message.assistantToolCalls(null, List.of(new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}"))),
                Message.tool("call_1", "{\"c\":21}"),
                Message.assistant("Checking.").withWeight(0),
                Message.user("So?")))
                .tool(ToolDefinition.of("weather", "Current weather", "{\"type\":\"object\",\"properties\":"
                        + "{\"city\":{\"type\":\"string\"}}}"))
                .options(ChatOptions.builder().temperature(0.2).maxTokens(50).build()).build();

        ChatResult result = openai.chat().orElseThrow().chat(call);

        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + TestSupport.KEY))
                .withRequestBody(equalToJson("""
                        {"model":"%s","messages":[
                          {"role":"system","content":"You are Ava."},
                          {"role":"user","content":"Weather in Paris?","name":"sam"},
                          {"role":"assistant","tool_calls":[{"id":"call_1","type":"function",
                            "function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                          {"role":"tool","content":"{\\"c\\":21}","tool_call_id":"call_1"},
                          {"role":"assistant","content":"Checking."},
                          {"role":"user","content":"So?"}],
                         "tools":[{"type":"function","function":{"name":"weather","description":"Current weather",
                           "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
                         "temperature":0.2,"max_completion_tokens":50}
                        """.formatted(MODEL))));
        assertThat(result.content()).isEqualTo("Sunny, 21 degrees.");
        assertThat(result.toolCalls()).isEmpty();
        assertThat(result.finishReason()).isEqualTo("stop");
        assertThat(result.usage()).isEqualTo(new Usage(21, 5));
        assertThat(result.model()).isEqualTo(MODEL);
        assertThat(result.requestId()).isEqualTo("req_chat");
    }

    @Test
    void chat_answerWithToolCalls_hasThemAndEmptyContent() {
        wm.stubFor(post("/v1/chat/completions").willReturn(okJson(completion("{\"role\":\"assistant\","
                + "\"content\":null,\"tool_calls\":[{\"id\":\"call_9\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]}", "tool_calls"))));

        ChatResult result = openai.chat().orElseThrow().chat(simple(null));

        assertThat(result.content()).isEmpty();
        assertThat(result.toolCalls()).containsExactly(new ToolCall("call_9", "weather", "{\"city\":\"Oslo\"}"));
        assertThat(result.finishReason()).isEqualTo("tool_calls");
        assertThat(result.requestId()).isEmpty();
        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(equalToJson("""
                {"model":"%s","messages":[{"role":"system","content":"You are Ava."},{"role":"user","content":"Hi"}]}
                """.formatted(MODEL))));
    }

    @Test
    void chat_aRefusal_isTheContent_whenThereIsNoText() {
        wm.stubFor(post("/v1/chat/completions").willReturn(okJson(completion("{\"role\":\"assistant\","
                + "\"content\":null,\"refusal\":\"I can't help with that.\"}", "stop"))));

        assertThat(openai.chat().orElseThrow().chat(simple(null)).content()).isEqualTo("I can't help with that.");
    }

    @Test
    void chat_anAnswerWithoutChoices_orNotJson_isAProviderException_quotingTheBody() {
        wm.stubFor(post("/v1/chat/completions").willReturn(okJson("{\"object\":\"chat.completion\",\"choices\":[]}")));

        assertThatThrownBy(() -> openai.chat().orElseThrow().chat(simple(null))).isInstanceOf(ProviderException.class)
                .hasMessage("openai returned 200 for POST /v1/chat/completions: the chat completion has no choices: "
                        + "{\"object\":\"chat.completion\",\"choices\":[]}");

        wm.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html>gateway</html>")));

        assertThatThrownBy(() -> openai.chat().orElseThrow().chat(simple(null))).isInstanceOf(ProviderException.class)
                .hasMessageContaining("the body is not JSON").hasMessageContaining("<html>gateway</html>");
    }

    @Test
    void chat_maxTokensField_canBeTheLegacyOne_forOlderGateways() {
        wm.stubFor(post("/v1/chat/completions").willReturn(okJson(completion("{\"role\":\"assistant\","
                + "\"content\":\"ok\"}", "length"))));
        OpenAiProvider legacy = TestSupport.provider(TestSupport.config(wm, time)
                .setting(OpenAiProviderFactory.SETTING_MAX_TOKENS_FIELD, "max_tokens").build());

        legacy.chat().orElseThrow().chat(simple(7));

        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(equalToJson("{\"max_tokens\":7}", true, true)));
    }

    /** Records what a stream delivers. */
    private static final class Recorder implements ChatStreamListener {
        final List<String> deltas = new ArrayList<>();
        String finish;
        Usage usage;
        ChatResult result;

        @Override
        public void onText(String text) {
            deltas.add(text);
        }

        @Override
        public void onComplete(ChatResult result) {
            this.result = result;
            this.finish = result.finishReason();
            this.usage = result.usage();
        }
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1721764800,\"model\":\""
                + MODEL + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}],\"usage\":null}\n\n";
    }

    private static final String USAGE_CHUNK = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":3,\"total_tokens\":24}}\n\n";

    private static void streamAnswers(String body) {
        wm.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(body)));
    }

    @Test
    void chatStream_deliversTheDeltasInOrder_thenTheFinishReasonAndTheUsageChunk() {
        streamAnswers(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null) + ": keep-alive\n\n"
                + chunk("{\"content\":\"Hel\"}", null) + chunk("{\"content\":\"lo é\"}", null)
                + chunk("{}", "stop") + USAGE_CHUNK + "data: [DONE]\n\n");
        Recorder r = new Recorder();

        openai.chat().orElseThrow().chatStream(simple(30), r);

        assertThat(r.deltas).containsExactly("Hel", "lo é");
        assertThat(r.finish).isEqualTo("stop");
        assertThat(r.usage).isEqualTo(new Usage(21, 3));
        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Accept", equalTo("text/event-stream"))
                .withHeader("Authorization", equalTo("Bearer " + TestSupport.KEY))
                .withRequestBody(equalToJson("""
                        {"model":"%s","messages":[{"role":"system","content":"You are Ava."},
                          {"role":"user","content":"Hi"}],"max_completion_tokens":30,
                         "stream":true,"stream_options":{"include_usage":true}}
                        """.formatted(MODEL))));
    }

    @Test
    void chatStream_withoutDone_completesOnceTheFinishReasonCame() {
        streamAnswers(chunk("{\"content\":\"Hi\"}", null) + chunk("{}", "length") + USAGE_CHUNK);
        Recorder r = new Recorder();

        openai.chat().orElseThrow().chatStream(simple(null), r);

        assertThat(r.deltas).containsExactly("Hi");
        assertThat(r.finish).isEqualTo("length");
        assertThat(r.usage).isEqualTo(new Usage(21, 3));
    }

    @Test
    void chatStream_withoutAUsageChunk_reportsNoUsage() {
        streamAnswers(chunk("{\"content\":\"Hi\"}", "stop") + "data: [DONE]\n\n");
        Recorder r = new Recorder();

        openai.chat().orElseThrow().chatStream(simple(null), r);

        assertThat(r.usage).isEqualTo(Usage.NONE);
    }

    @Test
    void chatStream_cutBeforeAnyFinishReason_isATransportException() {
        streamAnswers(chunk("{\"content\":\"Hel\"}", null));
        Recorder r = new Recorder();

        assertThatThrownBy(() -> openai.chat().orElseThrow().chatStream(simple(null), r)).isInstanceOf(TransportException.class)
                .hasMessageContaining("ended before the answer finished");
        assertThat(r.deltas).containsExactly("Hel");
        assertThat(r.finish).isNull();
    }

    @Test
    void chatStream_anErrorInsideTheStream_isAProviderException() {
        streamAnswers(chunk("{\"content\":\"Hel\"}", null) + "data: {\"error\":{\"message\":\"The server had an "
                + "error while processing your request.\",\"type\":\"server_error\",\"param\":null,"
                + "\"code\":null}}\n\n");

        assertThatThrownBy(() -> openai.chat().orElseThrow().chatStream(simple(null), new Recorder()))
                .isExactlyInstanceOf(ProviderException.class)
                .hasMessageContaining("server_error")
                .hasMessageContaining("POST /v1/chat/completions")
                .hasMessageContaining("The server had an error");
    }
}
