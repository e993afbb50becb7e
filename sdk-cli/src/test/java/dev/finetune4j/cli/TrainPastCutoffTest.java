package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code train} to OpenAI dated after its job cutoff is refused before anything reaches the provider. */
class TrainPastCutoffTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @TempDir
    Path dir;

    @Test
    void train_onTheDayAfterTheCutoff_isRefusedWithDateAndSource_andNothingIsSent() {
        Emulated cli = new Emulated(dir.resolve("store"), openai, null).assistantWithSample(dir);
        cli.env().put("FINETUNE4J_TODAY", "2027-01-07");
        int before = openai.requests().size();
        int files = openai.files().size();

        Cli.Result r = cli.run("train", "voice-parser", "--json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        JsonNode error = r.json().get("error");
        assertThat(error.get("type").asText()).isEqualTo("jobs_ended");
        assertThat(error.get("message").asText()).startsWith("openai takes no new fine-tuning jobs for "
                + Emulated.BASE + " since 2027-01-06 (today is 2027-01-07; source: "
                + "https://aihola.com/article/openai-ends-fine-tuning-2027, secondary, checked 2026-12-04); "
                + "nothing was uploaded.");
        assertThat(openai.requests()).as("no upload, no job create").hasSize(before);
        assertThat(openai.files()).hasSize(files);
        assertThat(cli.ok("jobs", "voice-parser", "--json").json().get("jobs")).isEmpty();
    }

    @Test
    void train_theDayBefore_goesThrough() {
        Emulated cli = new Emulated(dir.resolve("store"), openai, null).assistantWithSample(dir);
        cli.env().put("FINETUNE4J_TODAY", "2027-01-05");

        assertThat(cli.train()).isEqualTo(1);
    }
}
