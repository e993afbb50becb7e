package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ChatCommandTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @TempDir
    Path dir;

    Emulated cli;
    String modelId;

    @BeforeEach
    void setUp() {
        cli = new Emulated(dir.resolve("store"), openai, null).assistantWithSample(dir);
        cli.train();
        cli.ok("activate", "voice-parser", "1");
        modelId = openai.jobs().get(0).fineTunedModel();
    }

    @Test
    void chat_json_isExactlyCallIdContentServedByUsageAndLifecycle() {
        Cli.Result r = cli.run("chat", "voice-parser", "squat 315 for 5", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("call_id", "content", "served_by", "usage", "lifecycle");
        assertThat(doc.get("call_id").asText()).matches("c[0-9a-f]{28}");
        assertThat(Cli.fieldNames(doc.get("served_by"))).containsExactly("assistant", "model_version",
                "prompt_version", "provider", "provider_model_id", "arm", "fallback");
        assertThat(Cli.fieldNames(doc.get("usage"))).containsExactly("input_tokens", "output_tokens", "cost");
        assertThat(Cli.fieldNames(doc.get("usage").get("cost"))).containsExactly("amount", "currency");
        assertThat(doc.get("content").asText()).startsWith("{\"exercise_name\":");
        JsonNode by = doc.get("served_by");
        assertThat(by.get("model_version").asInt()).isEqualTo(1);
        assertThat(by.get("prompt_version").isNull()).isTrue();
        assertThat(by.get("provider_model_id").asText()).isEqualTo(modelId);
        assertThat(by.get("arm").asText()).isEqualTo("active");
        assertThat(by.get("fallback").asBoolean()).isFalse();
        assertThat(doc.get("usage").get("input_tokens").asLong()).isPositive();
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void chat_human_printsTheAnswerOnStdoutAndWhatAnsweredOnStderr() {
        Cli.Result r = cli.run("chat", "voice-parser", "squat 315 for 5");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdoutLines()).singleElement().satisfies(l -> assertThat(l).startsWith("{\"exercise_name\":"));
        assertThat(r.stderr()).contains("model v1 of voice-parser (openai " + modelId + "), no prompt, arm active",
                "tokens, USD ");
    }

    @Test
    void chat_pinnedToTheBaseModel_hasNoModelVersion() {
        JsonNode doc = cli.ok("chat", "voice-parser", "squat 315 for 5", "--pin", "base", "--json").json();

        assertThat(doc.get("served_by").get("model_version").isNull()).isTrue();
        assertThat(doc.get("served_by").get("arm").asText()).isEqualTo("pinned");
        assertThat(doc.get("served_by").get("provider_model_id").asText()).isEqualTo(Emulated.BASE);
    }

    @Test
    void chat_withPromptSubjectAndStream() throws Exception {
        Path prompt = dir.resolve("prompt.txt");
        java.nio.file.Files.writeString(prompt, "You are a voice command parser for workout logging. Reply with JSON only.");
        cli.ok("prompt", "set", "voice-parser", "--file", prompt.toString());

        Cli.Result streamed = cli.run("chat", "voice-parser", "squat 315 for 5", "--prompt", "1", "--subject",
                "user-17", "--stream");
        JsonNode doc = cli.ok("chat", "voice-parser", "squat 315 for 5", "--prompt", "1", "--stream", "--json").json();

        assertThat(streamed.exitCode()).as(streamed.toString()).isZero();
        assertThat(streamed.stdout()).startsWith("{\"exercise_name\":").endsWith("}\n");
        assertThat(streamed.stderr()).contains("with prompt v1");
        assertThat(doc.get("served_by").get("prompt_version").asInt()).isEqualTo(1);
        assertThat(doc.get("content").asText()).isEqualTo(streamed.stdout().strip());
    }

    @Test
    void chat_whenTheModelIsGone_isAnsweredByTheBaseModelAndFlagged() {
        openai.deleteModel(modelId);

        Cli.Result r = cli.run("chat", "voice-parser", "squat 315 for 5", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode by = r.json().get("served_by");
        assertThat(by.get("fallback").asBoolean()).isTrue();
        assertThat(by.get("model_version").isNull()).isTrue();
        assertThat(by.get("arm").asText()).isEqualTo("active");
        assertThat(cli.run("chat", "voice-parser", "squat 315 for 5").stderr()).contains("FALLBACK", "404");
    }

    @Test
    void deleteWithProviderModel_deletesTheProvidersCopyFirst_thenAPinnedChatFails() {
        Cli.Result r = cli.run("delete", "voice-parser", "1", "--provider-model", "--json");
        Cli.Result again = cli.run("delete", "voice-parser", "1", "--provider-model");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().get("provider_model").get("deleted").asBoolean()).isTrue();
        assertThat(r.json().get("provider_model").get("outcome").asText()).isEqualTo("deleted " + modelId
                + " at openai");
        assertThat(r.json().get("deleted").get("state").asText()).isEqualTo("deleted");
        assertThat(openai.models()).doesNotContain(modelId);
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("was already deleted", modelId + " was already gone at openai");
        assertThat(cli.run("chat", "voice-parser", "hi", "--pin", "1").exitCode()).isEqualTo(1);
    }

    @Test
    void chat_unknownVersionOrAssistant_exits1_badPin_exits2() {
        assertThat(cli.run("chat", "voice-parser", "hi", "--pin", "7").exitCode()).isEqualTo(1);
        assertThat(cli.run("chat", "nobody", "hi").exitCode()).isEqualTo(1);
        assertThat(cli.run("chat", "voice-parser", "hi", "--pin", "latest").stderr())
                .contains("neither a version number (2, v2) nor base");
        assertThat(cli.run("chat", "voice-parser", " ").exitCode()).isEqualTo(2);
    }
}
