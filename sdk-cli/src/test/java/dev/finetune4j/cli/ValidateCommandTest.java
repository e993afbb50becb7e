package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    @TempDir
    Path dir;

    @Test
    void validate_json_onSampleWithThreeBrokenLines_reportsThemAndExits1() {
        Path file = Cli.sample(dir, Samples.FIRST_BATCH);

        Cli.Result r = Cli.run("validate", file.toString(), "--json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).isEmpty();
        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("file", "provider", "examples", "valid", "invalid",
                "duplicates", "errors", "warnings", "issues_truncated");
        assertThat(doc.get("examples").asLong()).isEqualTo(60);
        assertThat(doc.get("valid").asLong()).isEqualTo(57);
        assertThat(doc.get("invalid").asLong()).isEqualTo(3);
        assertThat(doc.get("provider").asText()).isEqualTo("openai");
        JsonNode errors = doc.get("errors");
        assertThat(errors).hasSize(3);
        assertThat(Cli.fieldNames(errors.get(0))).containsExactly("line", "code", "message");
        assertThat(errors.findValues("line")).extracting(JsonNode::asLong).containsExactly(14L, 31L, 47L);
        assertThat(errors.findValues("code")).extracting(JsonNode::asText)
                .containsExactly("missing_content", "unrecognized_role", "invalid_json");
        assertThat(doc.get("warnings")).isEmpty();
    }

    @Test
    void validate_human_printsSummaryAndOneLinePerIssueOnStdout() {
        Path file = Cli.sample(dir, Samples.FIRST_BATCH);

        Cli.Result r = Cli.run("validate", file.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdoutLines().get(0)).isEqualTo(file + ": 60 lines: 57 valid, 3 invalid, 0 duplicates (openai rules)");
        assertThat(r.stdoutLines()).anyMatch(l -> l.startsWith("line 14: missing_content: "))
                .anyMatch(l -> l.startsWith("line 31: unrecognized_role: "))
                .anyMatch(l -> l.startsWith("line 47: invalid_json: "));
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void validate_duplicateLines_areWarningsWithCodeDuplicate_andExit0() throws Exception {
        Path file = dir.resolve("dup.jsonl");
        String line = Files.readAllLines(Cli.sample(dir, Samples.SECOND_BATCH)).get(0);
        Files.writeString(file, line + "\n" + line + "\n");

        Cli.Result r = Cli.run("--json", "validate", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("examples").asLong()).isEqualTo(2);
        assertThat(doc.get("valid").asLong()).isEqualTo(1);
        assertThat(doc.get("duplicates").asLong()).isEqualTo(1);
        assertThat(doc.get("warnings")).hasSize(1);
        assertThat(doc.get("warnings").get(0).get("code").asText()).isEqualTo("duplicate");
        assertThat(doc.get("warnings").get(0).get("line").asLong()).isEqualTo(2);
    }

    @Test
    void validate_strict_failsOnWarningsToo() throws Exception {
        Path file = dir.resolve("dup.jsonl");
        String line = Files.readAllLines(Cli.sample(dir, Samples.SECOND_BATCH)).get(0);
        Files.writeString(file, line + "\n" + line + "\n");

        assertThat(Cli.run("validate", file.toString(), "--strict").exitCode()).isEqualTo(1);
    }

    @Test
    void validate_cleanFile_exits0() {
        Path file = Cli.sample(dir, Samples.SECOND_BATCH);

        Cli.Result r = Cli.run("validate", file.toString(), "--provider", "mistral", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().get("provider").asText()).isEqualTo("mistral");
        assertThat(r.json().get("errors")).isEmpty();
    }

    @Test
    void validate_maxTokens_rejectsLongerExamplesAsTooLong() {
        Path file = Cli.sample(dir, Samples.SECOND_BATCH);

        Cli.Result r = Cli.run("validate", file.toString(), "--max-tokens", "20", "--json");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.json().get("errors").findValues("code")).extracting(JsonNode::asText).containsOnly("too_long");
    }

    @Test
    void validate_missingFile_exits1WithMessageOnStderr() {
        Cli.Result r = Cli.run("validate", dir.resolve("nope.jsonl").toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).startsWith("finetune4j: no such file: ").doesNotContain("Exception");
    }

    @Test
    void validate_missingFile_json_printsAnErrorDocument() {
        Cli.Result r = Cli.run("validate", dir.resolve("nope.jsonl").toString(), "--json");

        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode error = r.json().get("error");
        assertThat(Cli.fieldNames(error)).containsExactly("type", "message", "exit_code");
        assertThat(error.get("type").asText()).isEqualTo("input");
        assertThat(error.get("exit_code").asInt()).isEqualTo(1);
    }

    @Test
    void validate_cookbookDataWarnings_areOneLineEachWithTheirCount_andStrictIgnoresOnlyMissingSystem() throws Exception {
        StringBuilder noSystem = new StringBuilder();
        for (int i = 1; i <= 14; i++) {
            noSystem.append("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi ").append(i)
                    .append("\"},{\"role\":\"assistant\",\"content\":\"Hello\"}]}\n");
        }
        Path file = dir.resolve("no-system.jsonl");
        Files.writeString(file, noSystem.toString());
        Path noUser = dir.resolve("no-user.jsonl");
        Files.writeString(noUser, "{\"messages\":[{\"role\":\"system\",\"content\":\"Greet.\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello\"}]}\n");

        Cli.Result r = Cli.run("validate", file.toString());
        Cli.Result strict = Cli.run("validate", file.toString(), "--strict");
        Cli.Result strictNoUser = Cli.run("validate", noUser.toString(), "--strict");
        Cli.Result json = Cli.run("validate", file.toString(), "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdoutLines()).containsExactly(
                file + ": 14 lines: 14 valid, 0 invalid, 0 duplicates (openai rules)",
                "missing_system_message (warning): 14 examples without a system message, lines 1, 2, 3, 4, 5, 6, 7, 8, "
                        + "9, 10 and 4 more");
        assertThat(strict.exitCode()).isZero();
        assertThat(strictNoUser.exitCode()).isEqualTo(1);
        assertThat(strictNoUser.stdout()).contains("missing_user_message (warning): 1 example without a user message, "
                + "line 1");
        assertThat(json.json().get("warnings")).hasSize(10);
    }
}
