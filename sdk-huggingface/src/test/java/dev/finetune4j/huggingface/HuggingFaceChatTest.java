package dev.finetune4j.huggingface;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.chat.ChatOptions;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.kit.ProviderJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HuggingFaceChatTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String BASE = "Qwen/Qwen2.5-0.5B-Instruct";
    static final String ADAPTER = "acme/huggingface-ftj-0a1b2c3d4e5f";
    static final String VLLM_MODELS = """
            {"object":"list","data":[
              {"id":"Qwen/Qwen2.5-0.5B-Instruct","object":"model","owned_by":"vllm","root":"Qwen/Qwen2.5-0.5B-Instruct","parent":null},
              {"id":"acme/huggingface-ftj-0a1b2c3d4e5f","object":"model","owned_by":"vllm","root":"/adapters/a","parent":"Qwen/Qwen2.5-0.5B-Instruct"}]}
            """;
    static final String TGI_MODELS = """
            {"object":"list","data":[{"id":"Qwen/Qwen2.5-0.5B-Instruct","object":"model","created":0,"owned_by":"Qwen/Qwen2.5-0.5B-Instruct"}]}
            """;

    private final TestSupport.FakeTime time = new TestSupport.FakeTime();
    private HuggingFaceProvider hf;

    private ProviderConfig.Builder serving() {
        return TestSupport.config(wm, time).setting("serving_url", wm.baseUrl() + "/v1");
    }

    @BeforeEach
    void setUp() {
        wm.resetAll();
        hf = TestSupport.provider(serving().build());
    }

    private static ChatCall call(String model) {
        return ChatCall.builder(model).message(Message.system("You are Ava.")).message(Message.user("Hi")).build();
    }

    @Test
    void chat_toAServedAdapter_sendsTheOpenAiBody_andReadsTheAnswer() throws Exception {
        wm.stubFor(get("/v1/models").willReturn(okJson(VLLM_MODELS)));
        wm.stubFor(post("/v1/chat/completions").willReturn(okJson("""
                {"id":"chatcmpl-1","object":"chat.completion","model":"acme/huggingface-ftj-0a1b2c3d4e5f",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_1","type":"function","function":{"name":"log_set","arguments":"{\\"reps\\":5}"}}]},
                   "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":31,"completion_tokens":9,"total_tokens":40}}
                """).withHeader("x-request-id", "req-42")));
        ChatCall call = ChatCall.builder(ADAPTER).messages(List.of(Message.system("You parse workouts."),
                Message.user("5 reps"),
                Message.assistantToolCalls(null, List.of(new ToolCall("call_0", "log_set", "{\"reps\":4}"))),
                Message.tool("call_0", "ok"), Message.user("again")))
                .tool(ToolDefinition.of("log_set", "Logs a set", "{\"type\":\"object\",\"properties\":{\"reps\":{\"type\":\"integer\"}}}"))
                .options(ChatOptions.builder().temperature(0.2).maxTokens(64).build()).build();

        ChatResult result = hf.chat().orElseThrow().chat(call);

        assertThat(result.content()).isEmpty();
        assertThat(result.toolCalls()).containsExactly(new ToolCall("call_1", "log_set", "{\"reps\":5}"));
        assertThat(result.finishReason()).isEqualTo("tool_calls");
        assertThat(result.usage()).isEqualTo(new Usage(31, 9));
        assertThat(result.model()).isEqualTo(ADAPTER);
        assertThat(result.requestId()).isEqualTo("req-42");
        var sent = wm.findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))).get(0);
        assertThat(sent.containsHeader("Authorization")).as("the Hub token stays away from other servers").isFalse();
        assertThat(ProviderJson.mapper().readTree(sent.getBodyAsString())).isEqualTo(ProviderJson.mapper().readTree("""
                {"model":"acme/huggingface-ftj-0a1b2c3d4e5f","messages":[
                  {"role":"system","content":"You parse workouts."},
                  {"role":"user","content":"5 reps"},
                  {"role":"assistant","tool_calls":[{"id":"call_0","type":"function",
                    "function":{"name":"log_set","arguments":"{\\"reps\\":4}"}}]},
                  {"role":"tool","content":"ok","tool_call_id":"call_0"},
                  {"role":"user","content":"again"}],
                 "tools":[{"type":"function","function":{"name":"log_set","description":"Logs a set",
                   "parameters":{"type":"object","properties":{"reps":{"type":"integer"}}}}}],
                 "temperature":0.2,"max_tokens":64}
                """));
    }

    @Test
    void chat_toAnAdapterTheServerDoesNotList_isRefusedBeforeAnyCall_withAClearError() {
        wm.stubFor(get("/v1/models").willReturn(okJson(TGI_MODELS)));

        assertThatThrownBy(() -> hf.chat().orElseThrow().chat(call(ADAPTER)))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.providerError().orElseThrow().statusCode()).isEqualTo(404);
                    assertThat(e.errorCode()).contains("model_not_served");
                    assertThat(e.providerError().orElseThrow().provider()).isEqualTo("huggingface");
                })
                .hasMessageContaining("does not serve '" + ADAPTER + "'")
                .hasMessageContaining("lists " + BASE)
                .hasMessageContaining("silently answer with its base model")
                .hasMessageContaining("served_adapters");
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions")))).isEmpty();
    }

    @Test
    void theModelList_isCachedBriefly_andLookedUpAgainForAMissingModel_atOnceTheFirstTime_thenEveryFewSeconds() {
        wm.stubFor(get("/v1/models").willReturn(okJson(TGI_MODELS)));
        wm.stubFor(post("/v1/chat/completions").willReturn(okJson(
                "{\"model\":\"" + BASE + "\",\"choices\":[{\"message\":{\"content\":\"Hello\"},\"finish_reason\":\"stop\"}]}")));

        assertThat(hf.chat().orElseThrow().chat(call(BASE)).content()).isEqualTo("Hello");
        hf.chat().orElseThrow().chat(call(BASE));
        wm.verify(1, getRequestedFor(urlPathEqualTo("/v1/models")));

        // the first miss of a model looks once more at once: it may have been loaded a moment ago
        assertThatThrownBy(() -> hf.chat().orElseThrow().chat(call(ADAPTER))).isInstanceOf(NotFoundException.class);
        wm.verify(2, getRequestedFor(urlPathEqualTo("/v1/models")));
        // while it stays missing, not more often than every few seconds
        assertThatThrownBy(() -> hf.chat().orElseThrow().chat(call(ADAPTER))).isInstanceOf(NotFoundException.class);
        wm.verify(2, getRequestedFor(urlPathEqualTo("/v1/models")));

        time.advance(Duration.ofSeconds(6));
        wm.stubFor(get("/v1/models").willReturn(okJson(VLLM_MODELS)));
        assertThat(hf.chat().orElseThrow().chat(call(ADAPTER)).content()).isEqualTo("Hello");
        wm.verify(3, getRequestedFor(urlPathEqualTo("/v1/models")));
    }

    @Test
    void anAdapterLoadedJustAfterTheListWasRead_isFoundOnItsFirstCall() {
        wm.stubFor(get("/v1/models").willReturn(okJson(TGI_MODELS)));
        wm.stubFor(post("/v1/chat/completions").willReturn(okJson(
                "{\"model\":\"" + BASE + "\",\"choices\":[{\"message\":{\"content\":\"Hello\"},\"finish_reason\":\"stop\"}]}")));
        hf.chat().orElseThrow().chat(call(BASE));

        wm.stubFor(get("/v1/models").willReturn(okJson(VLLM_MODELS)));   // a new adapter is served now

        assertThat(hf.chat().orElseThrow().chat(call(ADAPTER)).content()).isEqualTo("Hello");
        wm.verify(2, getRequestedFor(urlPathEqualTo("/v1/models")));
    }

    @Test
    void tgiAdapters_declaredInTheSetting_areServed_thoughTgiListsOnlyItsBaseModel() {
        HuggingFaceProvider tgi = TestSupport.provider(serving()
                .setting("served_adapters", ADAPTER + "@main, local=/data/adapter").build());
        wm.stubFor(get("/v1/models").willReturn(okJson(TGI_MODELS)));
        wm.stubFor(post("/v1/chat/completions").willReturn(okJson(
                "{\"model\":\"tgi\",\"choices\":[{\"message\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}")));

        assertThat(tgi.chat().orElseThrow().chat(call(ADAPTER)).content()).isEqualTo("Hi");
        assertThat(tgi.chat().orElseThrow().chat(call("local")).content()).isEqualTo("Hi");
        assertThatThrownBy(() -> tgi.chat().orElseThrow().chat(call("acme/other")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void chatStream_deliversTheDeltas_thenTheFinishReasonAndUsage() throws Exception {
        wm.stubFor(get("/v1/models").willReturn(okJson(VLLM_MODELS)));
        String stream = """
                data: {"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}

                data: {"id":"c","choices":[{"index":0,"delta":{"content":"Hel"}}]}

                data: {"id":"c","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}

                data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

                data: {"id":"c","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}

                data: [DONE]

                """;
        wm.stubFor(post("/v1/chat/completions").willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
                .withBody(stream)));
        List<String> deltas = new ArrayList<>();
        List<Object> end = new ArrayList<>();

        hf.chat().orElseThrow().chatStream(call(ADAPTER), new ChatStreamListener() {
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

        assertThat(deltas).containsExactly("Hel", "lo");
        assertThat(end).containsExactly("stop", new Usage(12, 2));
        var sent = wm.findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))).get(0);
        assertThat(sent.getHeader("Accept")).isEqualTo("text/event-stream");
        var body = ProviderJson.mapper().readTree(sent.getBodyAsString());
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(body.path("model").asText()).isEqualTo(ADAPTER);
    }

    @Test
    void aServingKey_isSentInsteadOfTheToken_andTheCheckCanBeTurnedOff() {
        HuggingFaceProvider vllm = TestSupport.provider(serving().setting("serving_api_key", "vllm-key-0123456789abcdef")
                .setting("check_served_models", "false").build());
        wm.stubFor(post("/v1/chat/completions").willReturn(okJson(
                "{\"choices\":[{\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}")));

        vllm.chat().orElseThrow().chat(call(ADAPTER));

        wm.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer vllm-key-0123456789abcdef")));
        wm.verify(0, getRequestedFor(urlPathEqualTo("/v1/models")));
    }

    @Test
    void theHubToken_isTheServingKey_onlyOnHuggingFacesOwnHosts() {
        assertThat(HuggingFaceProviderFactory.isHuggingFaceHost(
                java.net.URI.create("https://abc123.us-east-1.aws.endpoints.huggingface.cloud/v1"))).isTrue();
        assertThat(HuggingFaceProviderFactory.isHuggingFaceHost(java.net.URI.create("https://router.huggingface.co/v1")))
                .isTrue();
        assertThat(HuggingFaceProviderFactory.isHuggingFaceHost(java.net.URI.create("http://localhost:8000/v1"))).isFalse();
        assertThat(HuggingFaceProviderFactory.isHuggingFaceHost(java.net.URI.create("https://huggingface.co.evil.io/v1")))
                .isFalse();
    }

    @Test
    void withoutAServingUrl_chatSaysWhatToSet() {
        HuggingFaceProvider none = TestSupport.provider(TestSupport.config(wm, time).build());

        assertThatThrownBy(() -> none.chat().orElseThrow().chat(call(ADAPTER))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HF_SERVING_URL").hasMessageContaining("serving_url");
    }
}
