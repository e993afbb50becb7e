package dev.finetune4j.mistral;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.mistral.MistralFixtures.BEARER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.AuthenticationException;
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

class MistralModelsAndChatTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String MODEL = "ft:open-mistral-7b:587a6b29:20261121:ftj-2k9x7q4m1c8z:7e773925";

    private MistralProvider mistral;

    @BeforeEach
    void setUp() {
        mistral = MistralFixtures.provider(wm.baseUrl(), new MistralFixtures.ManualTime());
    }

    // ---- models -------------------------------------------------------------------------------

    @Test
    void deleteModel_deletesUnderV1Models_keepingTheColonsOfTheId() {
        wm.stubFor(delete(urlPathEqualTo("/v1/models/" + MODEL))
                .willReturn(okJson("{\"id\": \"" + MODEL + "\", \"object\": \"model\", \"deleted\": true}")));

        mistral.deleteModel(MODEL);

        wm.verify(1, deleteRequestedFor(urlPathEqualTo("/v1/models/" + MODEL)).withHeader("Authorization", equalTo(BEARER)));
    }

    @Test
    void deleteModel_baseModel403_isAnAuthenticationError() {
        wm.stubFor(delete(urlPathEqualTo("/v1/models/open-mistral-7b")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"object\":\"error\",\"message\":\"You cannot delete a base model\",\"type\":\"invalid_request_error\"}")));

        AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                () -> mistral.deleteModel("open-mistral-7b"));

        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.getMessage()).contains("You cannot delete a base model");
    }

    @Test
    void archiveAndUnarchive_useTheFineTuningModelsArchiveRoute() {
        String path = "/v1/fine_tuning/models/" + MODEL + "/archive";
        wm.stubFor(post(urlPathEqualTo(path))
                .willReturn(okJson("{\"id\": \"" + MODEL + "\", \"object\": \"model\", \"archived\": true}")));
        wm.stubFor(delete(urlPathEqualTo(path))
                .willReturn(okJson("{\"id\": \"" + MODEL + "\", \"object\": \"model\", \"archived\": false}")));

        assertThat(mistral.archiveModel(MODEL)).isTrue();
        assertThat(mistral.unarchiveModel(MODEL)).isFalse();

        wm.verify(1, postRequestedFor(urlPathEqualTo(path)).withHeader("Authorization", equalTo(BEARER)));
        wm.verify(1, deleteRequestedFor(urlPathEqualTo(path)).withHeader("Authorization", equalTo(BEARER)));
    }

    // ---- chat ---------------------------------------------------------------------------------

    @Test
    void chat_sendsMessagesAndTools_withoutNameOrWeight_andReadsToolCallsAndUsage() {
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"id": "cmpl-1", "object": "chat.completion", "model": "%s", "created": 1763719200,
                 "choices": [{"index": 0, "finish_reason": "tool_calls",
                   "message": {"role": "assistant", "content": "",
                     "tool_calls": [{"id": "Ab3De6Gh9", "type": "function",
                                     "function": {"name": "log_set", "arguments": "{\\"reps\\": 12}"}},
                                    {"id": "Zz9Yy8Xx7", "type": "function",
                                     "function": {"name": "log_set", "arguments": {"reps": 8}}}]}}],
                 "usage": {"prompt_tokens": 57, "completion_tokens": 21, "total_tokens": 78}}
                """.formatted(MODEL)).withHeader("x-request-id", "req-chat-1")));
        ChatCall call = ChatCall.builder(MODEL).messages(List.of(
                Message.system("You log workouts."),
                Message.user("12 squats").withName("ava"),
                Message.assistantToolCalls(null, List.of(new ToolCall("Qw1Er2Ty3", "log_set", "{\"reps\":10}"))),
                Message.tool("Qw1Er2Ty3", "ok"),
                Message.assistant("Logged.").withWeight(1),
                Message.user("and 12 more")))
                .tools(List.of(ToolDefinition.of("log_set", "Logs one set", "{\"type\":\"object\",\"properties\":"
                        + "{\"reps\":{\"type\":\"integer\"}}}"), ToolDefinition.of("undo", null, null)))
                .options(ChatOptions.builder().temperature(0.2).maxTokens(64).seed(7).build()).build();

        ChatResult r = mistral.chat().orElseThrow().chat(call);

        wm.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo(BEARER))
                .withRequestBody(equalToJson("""
                        {"model": "%s",
                         "messages": [
                           {"role": "system", "content": "You log workouts."},
                           {"role": "user", "content": "12 squats"},
                           {"role": "assistant", "tool_calls": [{"id": "Qw1Er2Ty3", "type": "function",
                              "function": {"name": "log_set", "arguments": "{\\"reps\\":10}"}}]},
                           {"role": "tool", "content": "ok", "tool_call_id": "Qw1Er2Ty3"},
                           {"role": "assistant", "content": "Logged."},
                           {"role": "user", "content": "and 12 more"}],
                         "tools": [
                           {"type": "function", "function": {"name": "log_set", "description": "Logs one set",
                              "parameters": {"type": "object", "properties": {"reps": {"type": "integer"}}}}},
                           {"type": "function", "function": {"name": "undo",
                              "parameters": {"type": "object", "properties": {}}}}],
                         "temperature": 0.2,
                         "max_tokens": 64,
                         "random_seed": 7}""".formatted(MODEL), false, false)));
        assertThat(r.content()).isEmpty();
        assertThat(r.toolCalls()).containsExactly(new ToolCall("Ab3De6Gh9", "log_set", "{\"reps\": 12}"),
                new ToolCall("Zz9Yy8Xx7", "log_set", "{\"reps\":8}"));
        assertThat(r.finishReason()).isEqualTo("tool_calls");
        assertThat(r.usage()).isEqualTo(new Usage(57, 21));
        assertThat(r.model()).isEqualTo(MODEL);
        assertThat(r.requestId()).isEqualTo("req-chat-1");
    }

    @Test
    void chat_contentAsChunks_isJoined_andOptionalFieldsAreLeftOut() {
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"id": "cmpl-2", "model": "open-mistral-7b",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant",
                   "content": [{"type": "text", "text": "Bon"}, {"type": "text", "text": "jour"}]}}],
                 "usage": {"prompt_tokens": 3, "completion_tokens": 2}}""")));

        ChatResult r = mistral.chat().orElseThrow().chat(ChatCall.builder("open-mistral-7b").message(Message.user("hi")).build());

        wm.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions")).withRequestBody(equalToJson(
                "{\"model\": \"open-mistral-7b\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", false, false)));
        assertThat(r.content()).isEqualTo("Bonjour");
        assertThat(r.finishReason()).isEqualTo("stop");
        assertThat(r.requestId()).isEmpty();
    }

    @Test
    void chatStream_deliversEveryDeltaUntilDone_thenTheFinishReasonAndUsage() {
        String sse = """
                data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

                data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"Bon"},"finish_reason":null}]}

                data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"jour"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}

                data: [DONE]

                """;
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(sse)));
        List<String> deltas = new ArrayList<>();
        List<Object> end = new ArrayList<>();

        mistral.chat().orElseThrow().chatStream(ChatCall.builder(MODEL).message(Message.user("hi"))
                        .options(ChatOptions.builder().maxTokens(16).build()).build(),
                new ChatStreamListener() {
                    @Override
                    public void onText(String text) {
                        deltas.add(text);
                    }

                    @Override
                    public void onComplete(ChatResult result) {
                        end.add(result.finishReason());
                        end.add(result.usage());
                    }
                });

        wm.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo(BEARER))
                .withHeader("Accept", equalTo("text/event-stream"))
                .withRequestBody(equalToJson("{\"model\": \"" + MODEL + "\", \"messages\": [{\"role\": \"user\", "
                        + "\"content\": \"hi\"}], \"max_tokens\": 16, \"stream\": true}", false, false)));
        assertThat(deltas).containsExactly("Bon", "jour");
        assertThat(end).containsExactly("stop", new Usage(5, 2));
    }
}
