package dev.finetune4j.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.ServerException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import dev.finetune4j.testing.StubProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generation options of a request and the streamed tool calls, through the router. */
class ChatRouterOptionsTest {

    static final String BASE = "gpt-4o-mini-2024-07-18";
    static final String V1 = "ft:gpt-4o-mini-2024-07-18:acme:ava:v1aaaaaa";

    /** Answers every stream with text, then two tool calls in pieces; can break after the first piece. */
    static final class ToolCallingProvider extends StubProvider {
        final List<ChatCall> calls = new CopyOnWriteArrayList<>();
        volatile boolean breakAfterFirstPiece;

        ToolCallingProvider() {
            super("openai");
        }

        @Override
        public ChatResult chat(ChatCall call) {
            calls.add(call);
            return new ChatResult("ok", List.of(), "stop", new Usage(3, 1), call.model(), "req");
        }

        @Override
        public void chatStream(ChatCall call, ChatStreamListener listener) {
            calls.add(call);
            listener.onToolCallDelta(new ToolCallDelta(0, "call_a", "weather", "{\"city\":"));
            if (breakAfterFirstPiece) {
                throw new ServerException("stream broke", "openai", 500, null, "req_3", "{}", true);
            }
            listener.onToolCallDelta(new ToolCallDelta(1, "call_b", "clock", "{}"));
            listener.onToolCallDelta(new ToolCallDelta(0, "", "", "\"Oslo\"}"));
            listener.onComplete(new ChatResult("", List.of(new ToolCall("call_a", "weather", "{\"city\":\"Oslo\"}"),
                    new ToolCall("call_b", "clock", "{}")), "tool_calls", new Usage(40, 12), call.model(), "req"));
        }
    }

    private final ManualClock clock = new ManualClock();
    private final ToolCallingProvider provider = new ToolCallingProvider();
    private Assistant ava;
    private ChatRouter router;

    @BeforeEach
    void setUp() {
        FineTuning ft = FineTuning.builder().store(VersionStores.inMemory(clock)).clock(clock).provider(provider)
                .build();
        ava = ft.createAssistant("ava", "openai", BASE);
        ava.importModel("openai", V1, BASE, null);
        ava.activate(1, Change.SYSTEM);
        ava.createPrompt("You are Ava.", List.of(), null);
        ava.activatePrompt(1, Change.SYSTEM);
        router = ft.chatRouter(ChatRouter.Options.defaults());
    }

    @Test
    void everyOptionOfTheRequest_reachesTheProviderCall_besideTheResolvedMessages() {
        ToolDefinition weather = ToolDefinition.of("weather", "Current weather", "{\"type\":\"object\"}");
        ResponseFormat format = ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}", true);

        ChatOptions options = ChatOptions.builder().temperature(0.2).maxTokens(64).responseFormat(format)
                .stop(List.of("END")).topP(0.9).seed(42).timeout(Duration.ofSeconds(5))
                .extraField("safe_prompt", true).extraField("metadata", Map.of("tenant", "acme")).build();

        router.chat(ChatRequest.builder("ava").user("Weather in Oslo?").tool(weather).options(options).build());

        assertThat(provider.calls).containsExactly(ChatCall.builder(V1)
                .message(Message.system("You are Ava.")).message(Message.user("Weather in Oslo?"))
                .tool(weather).options(options).build());
    }

    @Test
    void aRequestWithoutOptions_sendsNone_andTheShorthandsSetOneOptionEach() {
        router.chat(ChatRequest.of("ava", "hi"));
        router.chat(ChatRequest.builder("ava").user("hi").options(ChatOptions.builder().seed(7).build())
                .temperature(0.5).build());
        router.chat(ChatRequest.builder("ava").user("hi").maxTokens(9)
                .options(ChatOptions.builder().seed(7).build()).build());

        assertThat(provider.calls).extracting(ChatCall::options).containsExactly(ChatOptions.none(),
                ChatOptions.builder().seed(7).temperature(0.5).build(), ChatOptions.builder().seed(7).build());
        assertThat(ChatOptions.none().toString()).isEqualTo("ChatOptions[]");
    }

    @Test
    void aStream_handsToolCallPiecesToTheHandler_andTheResponseHoldsTheAssembledCallsAndUsage() {
        List<ToolCallDelta> pieces = new ArrayList<>();

        ChatResponse r = router.chatStream(ChatRequest.of("ava", "Weather and time?"), new ChatStreamHandler() {
            @Override
            public void onToolCallDelta(ToolCallDelta delta) {
                pieces.add(delta);
            }
        });

        assertThat(pieces).containsExactly(new ToolCallDelta(0, "call_a", "weather", "{\"city\":"),
                new ToolCallDelta(1, "call_b", "clock", "{}"), new ToolCallDelta(0, "", "", "\"Oslo\"}"));
        assertThat(r.toolCalls()).containsExactly(new ToolCall("call_a", "weather", "{\"city\":\"Oslo\"}"),
                new ToolCall("call_b", "clock", "{}"));
        assertThat(r.finishReason()).isEqualTo("tool_calls");
        assertThat(r.usage()).isEqualTo(new Usage(40, 12));
        assertThat(r.servedBy().modelVersion()).isEqualTo(1);
    }

    @Test
    void aStreamThatBreaksAfterAToolCallPiece_failsWithoutFallingBack() {
        provider.breakAfterFirstPiece = true;

        assertThatThrownBy(() -> router.chatStream(ChatRequest.of("ava", "Weather?"), text -> { }))
                .isInstanceOf(ServerException.class).hasMessage("stream broke");
        assertThat(provider.calls).extracting(ChatCall::model).containsExactly(V1);
    }

    @Test
    void theOptions_areCheckedWhereTheyAreSet() {
        ChatOptions.Builder b = ChatOptions.builder();

        assertThatThrownBy(() -> b.topP(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("topP must be 0 to 1, was 1.5");
        assertThatThrownBy(() -> b.stop(List.of("END", ""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stop sequence 1 is empty; each must be a non-empty string");
        assertThatThrownBy(() -> b.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout is PT0S; it must be positive");
        assertThatThrownBy(() -> ResponseFormat.jsonSchema("my schema", "{}", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schema name 'my schema' must be 1 to 64 letters, digits, underscores or dashes");
        assertThatThrownBy(() -> ResponseFormat.jsonSchema("answer", "[1]", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the schema of 'answer' must be a JSON object, was array");
        assertThat(ResponseFormat.jsonSchema("answer", "{ \"type\" : \"object\" }", false).schemaJson())
                .contains("{\"type\":\"object\"}");
    }
}
