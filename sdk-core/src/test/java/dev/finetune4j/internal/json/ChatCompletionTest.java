package dev.finetune4j.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatCompletionTest {

    private static ChatCompletion read(String json) throws IOException {
        return ChatCompletion.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anOpenAiCompletion_withEveryFieldNobodyReads() throws IOException {
        ChatCompletion c = read("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1735689600,"
                + "\"model\":\"ft:gpt-4o-mini-2024-07-18:acme::v1\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                + "\"assistant\",\"content\":\"Hello!\",\"refusal\":null,\"annotations\":[{\"x\":[1,{\"y\":2}]}]},"
                + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,"
                + "\"completion_tokens\":9,\"total_tokens\":21,\"prompt_tokens_details\":{\"cached_tokens\":0}},"
                + "\"system_fingerprint\":\"fp\"}");

        assertThat(c).isEqualTo(new ChatCompletion(true, "Hello!", null, List.of(), "stop", true, 12, 9,
                "ft:gpt-4o-mini-2024-07-18:acme::v1", false));
    }

    @Test
    void toolCalls_keepTheirOrder_andObjectArgumentsBecomeJsonText() throws IOException {
        ChatCompletion c = read("{\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":["
                + "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"log_set\",\"arguments\":\"{\\\"reps\\\":5}\"}},"
                + "{\"id\":\"call_2\",\"function\":{\"name\":\"rest\",\"arguments\":{\"seconds\":90}}},"
                + "{\"function\":{\"arguments\":null}}, 7]},\"finish_reason\":\"tool_calls\"}]}");

        assertThat(c.content()).isNull();
        assertThat(c.toolCalls()).containsExactly(
                new ChatCompletion.RawToolCall(-1, "call_1", "log_set", "{\"reps\":5}"),
                new ChatCompletion.RawToolCall(-1, "call_2", "rest", "{\"seconds\":90}"),
                new ChatCompletion.RawToolCall(-1, null, null, null));
        assertThat(c.finishReason()).isEqualTo("tool_calls");
        assertThat(c.hasUsage()).isFalse();
    }

    @Test
    void aStreamChunk_readsItsDelta_theToolCallPiecesWithTheirIndex_andAnError() throws IOException {
        ChatCompletion c = ChatCompletion.read("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\",\"tool_calls\":[{\"index\":1,\"id\":\"call_2\","
                + "\"type\":\"function\",\"function\":{\"name\":\"rest\",\"arguments\":\"\"}},{\"index\":1,"
                + "\"function\":{\"arguments\":\"{\\\"s\"}}]},\"finish_reason\":null}],\"usage\":null}");

        assertThat(c).isEqualTo(new ChatCompletion(true, "Hi", null, List.of(
                new ChatCompletion.RawToolCall(1, "call_2", "rest", ""),
                new ChatCompletion.RawToolCall(1, null, null, "{\"s")), null, false, 0, 0, "m", false));
        assertThat(ChatCompletion.read("{\"error\":{\"message\":\"overloaded\"}}").hasError()).isTrue();
        assertThat(ChatCompletion.read("{\"error\":null,\"choices\":[]}").hasError()).isFalse();
        assertThatThrownBy(() -> ChatCompletion.read("")).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void contentAsAListOfChunks_isTheTextChunksJoined() throws IOException {
        ChatCompletion c = read("{\"choices\":[{\"message\":{\"content\":[\"Hel\",{\"type\":\"text\",\"text\":\"lo\"},"
                + "{\"type\":\"image_url\",\"text\":\"no\"},{\"text\":\"!\"},[1]]}}]}");

        assertThat(c.content()).isEqualTo("Hello!");
    }

    @Test
    void onlyTheFirstChoiceObjectCounts() throws IOException {
        ChatCompletion c = read("{\"choices\":[1,{\"message\":{\"content\":\"first\"}},{\"message\":{\"content\":\"second\"}}]}");

        assertThat(c.hasChoice()).isTrue();
        assertThat(c.content()).isEqualTo("first");
    }

    @Test
    void fieldsOfUnexpectedTypes_readAsAbsent() throws IOException {
        ChatCompletion c = read("{\"model\":42,\"choices\":[{\"message\":{\"content\":{\"a\":1},\"refusal\":[\"x\"],"
                + "\"tool_calls\":\"none\"},\"finish_reason\":{}}],\"usage\":{\"prompt_tokens\":\"12\","
                + "\"completion_tokens\":{\"n\":1}}}");

        assertThat(c).isEqualTo(new ChatCompletion(true, null, null, List.of(), null, true, 12, 0, null, false));
    }

    @Test
    void noChoices_isSaid() throws IOException {
        assertThat(read("{\"choices\":[]}").hasChoice()).isFalse();
        assertThat(read("{\"choices\":{\"message\":{}}}").hasChoice()).isFalse();
        assertThat(read("{\"error\":null}").hasChoice()).isFalse();
        assertThat(read("[{\"choices\":[{}]}]").hasChoice()).isFalse();
    }

    @Test
    void negativeCounts_areZero() throws IOException {
        ChatCompletion c = read("{\"choices\":[{}],\"usage\":{\"prompt_tokens\":-3,\"completion_tokens\":4}}");

        assertThat(c.promptTokens()).isZero();
        assertThat(c.completionTokens()).isEqualTo(4);
    }

    @Test
    void aBodyThatIsNotJson_isCutShort_orHasTrailingContent_isRefused() {
        assertThatThrownBy(() -> read("<html>502 Bad Gateway</html>")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> read("{\"choices\":[{}]} {\"again\":1}")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> read("{\"choices\":[{\"message\":")).isInstanceOf(JsonProcessingException.class);
    }
}
