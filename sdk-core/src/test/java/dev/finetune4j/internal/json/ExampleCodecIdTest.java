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

/**
 * The id, streamed through the digest, is the hash of the canonical line it always was; the line
 * streamed to a file is the bytes of that line.
 */
class ExampleCodecIdTest {

    private static String hashOfCanonicalLine(Example e) {
        byte[] digest = ExampleCodec.sha256(ExampleCodec.toJson(e, false).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    @Test
    void id_isTheHashOfTheCanonicalLine_forEveryKindOfText() {
        for (Example e : examples()) {
            assertThat(e.id()).isEqualTo(hashOfCanonicalLine(e));
        }
    }

    @Test
    void writeLine_writesTheBytesOfTheCanonicalLine_withOrWithoutTags() throws Exception {
        for (Example e : examples()) {
            for (boolean tags : new boolean[] {true, false}) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                ExampleCodec.writeLine(out, e, tags);
                ExampleCodec.writeLine(out, e, tags);
                byte[] line = ExampleCodec.toJson(e, tags).getBytes(StandardCharsets.UTF_8);
                byte[] twice = new byte[line.length * 2];
                System.arraycopy(line, 0, twice, 0, line.length);
                System.arraycopy(line, 0, twice, line.length, line.length);
                assertThat(out.toByteArray()).isEqualTo(twice);
            }
        }
    }

    @Test
    void lineBytes_areTheBytesOfTheCanonicalLine_withOrWithoutTags() {
        for (Example e : examples()) {
            for (boolean tags : new boolean[] {true, false}) {
                assertThat(ExampleCodec.lineBytes(e, tags)).isEqualTo(ExampleCodec.toJson(e, tags)
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static List<Example> examples() {
        return List.of(
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
                        .tag("note", "tag with a lone \ud800 surrogate")
                        .build());
    }
}
