package dev.finetune4j.langchain4j;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.langchain4j.RoutedStub.V1;
import static dev.finetune4j.langchain4j.RoutedStub.chatPost;
import static dev.finetune4j.langchain4j.RoutedStub.chunk;
import static dev.finetune4j.langchain4j.RoutedStub.streams;
import static dev.finetune4j.langchain4j.RoutedStub.usageAndDone;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.chat.ChatRouter;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The streaming model on the real OpenAI provider and router, against a WireMock stub. */
class FineTuneStreamingChatModelTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private RoutedStub stub;
    private final List<String> events = new ArrayList<>();
    private FineTuneStreamingChatModel model;

    @BeforeEach
    void setUp() {
        stub = new RoutedStub(wm, ChatRouter.Options.defaults().withFallback(false));
        ChatModelListener listener = new ChatModelListener() {
            @Override
            public void onResponse(ChatModelResponseContext c) {
                events.add("listener: answer " + c.chatResponse().tokenUsage().outputTokenCount() + " tokens");
            }

            @Override
            public void onError(ChatModelErrorContext c) {
                events.add("listener: " + c.error().getClass().getSimpleName());
            }
        };
        model = FineTuneStreamingChatModel.builder().router(stub.router).assistant("ava")
                .listeners(List.of(listener)).build();
    }

    @AfterEach
    void tearDown() {
        stub.close();
    }

    /** Writes down every callback, in order. */
    private class Recorder implements StreamingChatResponseHandler {
        ChatResponse complete;
        Throwable error;

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            events.add("text: " + partial.text());
        }

        @Override
        public void onPartialToolCall(PartialToolCall call) {
            events.add("tool piece " + call.index() + " " + call.id() + " " + call.name() + ": "
                    + call.partialArguments());
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall call) {
            events.add("tool call " + call.index() + " " + call.toolExecutionRequest().name() + " "
                    + call.toolExecutionRequest().arguments());
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            complete = response;
            events.add("complete");
        }

        @Override
        public void onError(Throwable e) {
            error = e;
            events.add("error: " + e.getClass().getSimpleName());
        }
    }

    @Test
    void text_arrivesInPieces_thenTheWholeAnswerWithUsageAndWhatServedIt() {
        wm.stubFor(streams(chatPost(), chunk(V1, "{\"role\":\"assistant\",\"content\":\"\"}", null)
                + chunk(V1, "{\"content\":\"Hel\"}", null) + chunk(V1, "{\"content\":\"lo!\"}", null)
                + chunk(V1, "{}", "stop") + usageAndDone(21, 3)));
        Recorder r = new Recorder();

        model.chat("Hi", r);

        assertThat(events).containsExactly("text: Hel", "text: lo!", "listener: answer 3 tokens", "complete");
        assertThat(r.complete.aiMessage().text()).isEqualTo("Hello!");
        assertThat(r.complete.tokenUsage().inputTokenCount()).isEqualTo(21);
        assertThat(r.complete.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(FineTuneChatModelTest.servedBy(r.complete).modelVersion()).isEqualTo(1);
        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.stream_options.include_usage")));
    }

    @Test
    void toolCalls_arriveAsNamedPieces_thenAsWholeCalls_beforeTheAnswer() {
        wm.stubFor(streams(chatPost(), chunk(V1, "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
                + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]}",
                null)
                + chunk(V1, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\"\"}}]}", null)
                + chunk(V1, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":\\\"Paris\\\"}\"}}]}", null)
                + chunk(V1, "{}", "tool_calls") + usageAndDone(30, 12)));
        Recorder r = new Recorder();

        model.chat("Weather in Paris?", r);

        assertThat(events).containsExactly(
                "tool piece 0 call_1 weather: {\"city\"",
                "tool piece 0 call_1 weather: :\"Paris\"}",
                "tool call 0 weather {\"city\":\"Paris\"}",
                "listener: answer 12 tokens",
                "complete");
        assertThat(r.complete.aiMessage().toolExecutionRequests()).containsExactly(ToolExecutionRequest.builder()
                .id("call_1").name("weather").arguments("{\"city\":\"Paris\"}").build());
        assertThat(r.complete.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(r.complete.tokenUsage().outputTokenCount()).isEqualTo(12);
    }

    @Test
    void aFailure_goesToOnError_asLangChain4jsException_andToTheListeners() {
        wm.stubFor(chatPost().willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}")));
        Recorder r = new Recorder();

        model.chat("Hi", r);

        assertThat(events).containsExactly("listener: InternalServerException", "error: InternalServerException");
        assertThat(r.error).isInstanceOf(InternalServerException.class).hasMessageContaining("boom");
        assertThat(r.complete).isNull();
    }

    @Test
    void aHandlerThatThrows_doesNotBreakTheStream() {
        wm.stubFor(streams(chatPost(), chunk(V1, "{\"content\":\"a\"}", null) + chunk(V1, "{\"content\":\"b\"}", null)
                + chunk(V1, "{}", "stop") + usageAndDone(5, 2)));
        Recorder r = new Recorder() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                super.onPartialResponse(partial, context);
                throw new IllegalStateException("the app's handler failed");
            }
        };

        model.chat("Hi", r);

        assertThat(events).containsExactly("text: a", "text: b", "listener: answer 2 tokens", "complete");
        assertThat(r.error).isNull();
    }

    @Test
    void cancelling_stopsTheCallbacks() {
        wm.stubFor(streams(chatPost(), chunk(V1, "{\"content\":\"a\"}", null) + chunk(V1, "{\"content\":\"b\"}", null)
                + chunk(V1, "{}", "stop") + usageAndDone(5, 2)));
        Recorder r = new Recorder() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                super.onPartialResponse(partial, context);
                context.streamingHandle().cancel();
            }
        };

        model.chat("Hi", r);

        assertThat(events).containsExactly("text: a");
    }
}
