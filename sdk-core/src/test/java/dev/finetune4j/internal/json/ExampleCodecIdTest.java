package dev.finetune4j.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The id, streamed through the digest, is the hash of the canonical line it always was. */
class ExampleCodecIdTest {

    private static String hashOfCanonicalLine(Example e) {
        byte[] digest = ExampleCodec.sha256(ExampleCodec.toJson(e, false).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    @Test
    void id_isTheHashOfTheCanonicalLine_forEveryKindOfText() {
        List<Example> examples = List.of(
                Example.of(Message.user("bench 225 for 8"), Message.assistant("{\"reps\":8}")),
                Example.of(Message.system("中文 Ünïcödé 😀 \u2028 \u0000 \t\n\"\\"), Message.user("x"),
                        Message.assistant("y")),
                Example.of(Message.user("lone \ud800 and \udc00 surrogates" + "\ud83d"), Message.assistant("z")),
                Example.of(Message.user("long " + "word".repeat(100_000)), Message.assistant("w")),
                Example.of(Message.user("\ud83d\ud83d\ude00 high high low, then one at the end \ud83d"),
                        Message.assistant("\ude00 low first; 2 KB of 4-byte chars " + "😀".repeat(1500) + "\ud83d")),
                Example.of(Message.user("é".repeat(5000) + "中".repeat(3000)), Message.assistant("ß")),
                Example.builder()
                        .message(Message.user("weather?"))
                        .message(Message.assistantToolCalls(null, List.of(new ToolCall("c1", "get", "{\"a\":1}"))))
                        .message(Message.tool("c1", "12C"))
                        .message(Message.assistant("ok"))
                        .tool(ToolDefinition.of("get", "gets", "{\"type\":\"object\"}"))
                        .tag("language", "en")
                        .build());

        for (Example e : examples) {
            assertThat(e.id()).isEqualTo(hashOfCanonicalLine(e));
        }
    }
}
