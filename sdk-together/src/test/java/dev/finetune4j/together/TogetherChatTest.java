package dev.finetune4j.together;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.together.TogetherFixtures.BEARER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.chat.ChatOptions;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatStreamListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Chat on the wire: the kit's OpenAI-compatible client with Together's field names. */
class TogetherChatTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String MODEL = "acme/Meta-Llama-3.1-8B-Instruct-Reference-ftj-0123456789ab-7f3a2b1c";

    private TogetherProvider together;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        together = TogetherFixtures.provider(wm.baseUrl() + "/v1");
    }

    @Test
    void chat_sendsMaxTokens_andReadsTogethersEosFinishReason_andTheRayIdAsRequestId() {
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"id": "o1", "object": "chat.completion", "created": 1777888000, "model": "%s", "prompt": [],
                 "choices": [{"index": 0, "finish_reason": "eos", "logprobs": null,
                   "message": {"role": "assistant", "content": "{\\"exercise\\":\\"squat\\"}", "tool_calls": []}}],
                 "usage": {"prompt_tokens": 31, "completion_tokens": 9, "total_tokens": 40}}
                """.formatted(MODEL)).withHeader("cf-ray", "8f1e2d3c4b5a6978-SJC")));

        ChatResult r = together.chat().orElseThrow().chat(ChatCall.builder(MODEL)
                .messages(List.of(Message.system("Parse sets."), Message.user("squat 100 for 5")))
                .options(ChatOptions.builder().temperature(0.0).maxTokens(64).seed(7).build()).build());

        wm.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo(BEARER))
                .withRequestBody(equalToJson("""
                        {"model": "%s",
                         "messages": [{"role": "system", "content": "Parse sets."},
                                      {"role": "user", "content": "squat 100 for 5"}],
                         "temperature": 0.0, "max_tokens": 64, "seed": 7}""".formatted(MODEL))));
        assertThat(r.content()).isEqualTo("{\"exercise\":\"squat\"}");
        assertThat(r.finishReason()).isEqualTo("eos");
        assertThat(r.usage()).isEqualTo(new Usage(31, 9));
        assertThat(r.requestId()).isEqualTo("8f1e2d3c4b5a6978-SJC");
    }

    @Test
    void chatStream_asksNoStreamOptions_andTakesTheUsageTogetherSendsInTheLastChunk() {
        String sse = """
                data: {"id":"o2","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Bon"},"finish_reason":null}],"usage":null}

                data: {"id":"o2","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"jour"},"finish_reason":"eos"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}

                data: [DONE]

                """;
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(sse)));
        List<String> pieces = new ArrayList<>();
        List<Object> end = new ArrayList<>();

        together.chat().orElseThrow().chatStream(ChatCall.builder(MODEL).message(Message.user("hi"))
                .options(ChatOptions.builder().maxTokens(16).build()).build(), new ChatStreamListener() {
                    @Override
                    public void onText(String text) {
                        pieces.add(text);
                    }

                    @Override
                    public void onComplete(ChatResult result) {
                        end.add(result.finishReason());
                        end.add(result.usage());
                    }
                });

        wm.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Accept", equalTo("text/event-stream"))
                .withRequestBody(equalToJson("{\"model\": \"" + MODEL + "\", \"messages\": [{\"role\": \"user\", "
                        + "\"content\": \"hi\"}], \"max_tokens\": 16, \"stream\": true}")));
        assertThat(pieces).containsExactly("Bon", "jour");
        assertThat(end).containsExactly("eos", new Usage(5, 2));
    }

    @Test
    void aModelTogetherDoesNotServe_isAResourceNotFound_withTogethersMessage() {
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"error": {"message": "Unable to access non-serverless model acme/full-model.",
                         "type": "invalid_request_error", "param": null, "code": "model_not_available"}}""")));

        NotFoundException e = catchThrowableOfType(NotFoundException.class, () -> together.chat()
                .orElseThrow().chat(ChatCall.builder("acme/full-model").message(Message.user("hi")).build()));

        assertThat(e.errorCode()).hasValue("model_not_available");
        assertThat(e.getMessage()).contains("Unable to access non-serverless model acme/full-model");
    }
}
