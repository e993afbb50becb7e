package dev.finetune4j.azureopenai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.azureopenai.AzureTestSupport.KEY;
import static dev.finetune4j.azureopenai.AzureTestSupport.V1;
import static dev.finetune4j.azureopenai.AzureTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.chat.ChatOptions;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.ChatStreamListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chat with a deployment: {@code POST /openai/v1/chat/completions} with the deployment's name as
 * {@code model} ({@code articles/foundry-classic/openai/how-to/fine-tune-test.md}), plain and streamed.
 */
class AzureOpenAiChatTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String CHAT = V1 + "/chat/completions";
    private static final String DEPLOYMENT = "voice-parser-v3";

    private final AzureTestSupport.FakeTime time = new AzureTestSupport.FakeTime();
    private ChatService chat;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        chat = AzureTestSupport.provider(config(wm, time).build()).chat().orElseThrow();
    }

    private static ChatCall call() {
        return ChatCall.builder(DEPLOYMENT).message(Message.system("Parse the workout."))
                .message(Message.user("3 sets of 10 squats")).options(ChatOptions.builder().maxTokens(50).build())
                .build();
    }

    @Test
    void chat_sendsTheDeploymentNameAsModel_withTheApiKey_andKeepsAzuresRequestIdAndFilterFinish() {
        wm.stubFor(post(CHAT).willReturn(okJson("""
                {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4.1-mini-2025-04-14.ft-b044",
                 "choices":[{"index":0,"finish_reason":"content_filter","message":{"role":"assistant","content":"{}"},
                   "content_filter_results":{"hate":{"filtered":true,"severity":"medium"}}}],
                 "prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}],
                 "usage":{"prompt_tokens":20,"completion_tokens":1,"total_tokens":21}}""")
                .withHeader("apim-request-id", "apim-chat-1")));

        ChatResult result = chat.chat(call());

        assertThat(result.content()).isEqualTo("{}");
        assertThat(result.finishReason()).isEqualTo("content_filter");
        assertThat(result.requestId()).isEqualTo("apim-chat-1");
        assertThat(result.usage().inputTokens() + result.usage().outputTokens()).isEqualTo(21);
        wm.verify(postRequestedFor(urlEqualTo(CHAT))
                .withHeader("api-key", equalTo(KEY))
                .withHeader("Authorization", absent())
                .withRequestBody(equalToJson("""
                        {"model":"voice-parser-v3","messages":[{"role":"system","content":"Parse the workout."},
                         {"role":"user","content":"3 sets of 10 squats"}],"max_completion_tokens":50}""")));
    }

    @Test
    void maxTokensField_setting_switchesToMaxTokens() {
        wm.stubFor(post(CHAT).willReturn(okJson("{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\","
                + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}]}")));
        ChatService legacy = AzureTestSupport.provider(config(wm, time).setting("max_tokens_field", "max_tokens")
                .build()).chat().orElseThrow();

        legacy.chat(call());

        wm.verify(postRequestedFor(urlEqualTo(CHAT)).withRequestBody(equalToJson("{\"max_tokens\":50}", true, true)));
    }

    @Test
    void stream_asksForUsage_andDeliversPiecesThenTheWholeAnswer() {
        wm.stubFor(post(CHAT).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody("""
                        data: {"id":"c","choices":[],"prompt_filter_results":[{"prompt_index":0}]}

                        data: {"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":"squat"}}]}

                        data: {"id":"c","choices":[{"index":0,"delta":{"content":" x3"},"finish_reason":"stop"}]}

                        data: {"id":"c","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":2,"total_tokens":22}}

                        data: [DONE]

                        """)));
        List<String> pieces = new ArrayList<>();
        AtomicReference<ChatResult> done = new AtomicReference<>();

        chat.chatStream(call(), new ChatStreamListener() {
            @Override
            public void onText(String text) {
                pieces.add(text);
            }

            @Override
            public void onComplete(ChatResult result) {
                done.set(result);
            }
        });

        assertThat(pieces).containsExactly("squat", " x3");
        assertThat(done.get().content()).isEqualTo("squat x3");
        assertThat(done.get().usage().outputTokens()).isEqualTo(2);
        wm.verify(postRequestedFor(urlEqualTo(CHAT)).withHeader("api-key", equalTo(KEY)).withRequestBody(equalToJson(
                "{\"model\":\"voice-parser-v3\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}", true,
                true)));
    }

    @Test
    void anUndeployedName_isAzuresDeploymentNotFound_asResourceNotFound() {
        wm.stubFor(post(CHAT).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withHeader("apim-request-id", "apim-404").withBody("{\"error\":{\"code\":\"DeploymentNotFound\","
                        + "\"message\":\"The API deployment for this resource does not exist. If you created the "
                        + "deployment within the last 5 minutes, please wait a moment and try again.\"}}")));

        assertThatThrownBy(() -> chat.chat(call()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.errorCode()).contains("DeploymentNotFound");
                    assertThat(e.providerError().orElseThrow().requestId()).contains("apim-404");
                    assertThat(e.providerError().orElseThrow().provider()).isEqualTo("azure-openai");
                })
                .hasMessageContaining("The API deployment for this resource does not exist");
    }
}
