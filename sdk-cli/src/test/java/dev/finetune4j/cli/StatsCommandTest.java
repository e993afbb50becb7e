package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCommandTest {

    @TempDir
    Path dir;

    @Test
    void stats_json_hasTokensEpochsAndCost() {
        Path file = Cli.sample(dir, Samples.FIRST_BATCH);

        Cli.Result r = Cli.run("stats", file.toString(), "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("file", "examples", "invalid", "duplicates", "data_warnings",
                "provider",
                "model", "tokens", "assistant_tokens", "messages", "encoding", "exact_tokens",
                "max_tokens_per_example", "over_limit", "epochs", "epochs_auto", "billed_tokens", "estimated_cost",
                "priced_as", "price_effective_date", "price_source", "minimum_fee_applied", "minimum_examples");
        assertThat(Cli.fieldNames(doc.get("tokens"))).containsExactly("total", "min", "max", "mean", "p10", "p90");
        assertThat(Cli.fieldNames(doc.get("estimated_cost"))).containsExactly("amount", "currency");
        assertThat(doc.get("examples").asLong()).isEqualTo(57);
        assertThat(doc.get("invalid").asLong()).isEqualTo(3);
        assertThat(doc.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(doc.get("encoding").asText()).isEqualTo("o200k_base");
        assertThat(doc.get("exact_tokens").asBoolean()).isTrue();
        JsonNode tokens = doc.get("tokens");
        assertThat(tokens.get("min").asLong()).isLessThanOrEqualTo(tokens.get("max").asLong());
        assertThat(tokens.get("mean").asDouble() * 57).isCloseTo(tokens.get("total").asDouble(),
                org.assertj.core.data.Offset.offset(0.001));
        // 57 examples: the auto heuristic keeps 3 epochs (57 x 3 >= 100)
        assertThat(doc.get("epochs").asInt()).isEqualTo(3);
        assertThat(doc.get("epochs_auto").asBoolean()).isTrue();
        assertThat(doc.get("billed_tokens").asLong()).isEqualTo(3 * tokens.get("total").asLong());
        assertThat(doc.get("estimated_cost").get("currency").asText()).isEqualTo("USD");
        assertThat(doc.get("estimated_cost").get("amount").decimalValue()).isPositive();
        assertThat(doc.get("price_effective_date").asText()).matches("\\d{4}-\\d\\d-\\d\\d");
    }

    @Test
    void stats_explicitEpochs_scaleTheBilledTokens() {
        Path file = Cli.sample(dir, Samples.FIRST_BATCH);

        JsonNode doc = Cli.run("stats", file.toString(), "--epochs", "5", "--json").json();

        assertThat(doc.get("epochs").asInt()).isEqualTo(5);
        assertThat(doc.get("epochs_auto").asBoolean()).isFalse();
        assertThat(doc.get("billed_tokens").asLong()).isEqualTo(5 * doc.get("tokens").get("total").asLong());
    }

    @Test
    void stats_huggingface_hasNoTokenPrice() {
        Path file = Cli.sample(dir, Samples.FIRST_BATCH);

        Cli.Result r = Cli.run("stats", file.toString(), "--provider", "huggingface", "--model",
                "Qwen/Qwen2.5-7B-Instruct", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().get("estimated_cost").isNull()).isTrue();
        assertThat(r.json().get("exact_tokens").asBoolean()).isFalse();
    }

    @Test
    void stats_huggingfaceWithoutModel_isAUsageError() {
        Path file = Cli.sample(dir, Samples.FIRST_BATCH);

        assertThat(Cli.run("stats", file.toString(), "--provider", "huggingface").exitCode()).isEqualTo(2);
    }

    @Test
    void stats_human_printsTokensAndCost() {
        Path file = Cli.sample(dir, Samples.FIRST_BATCH);

        Cli.Result r = Cli.run("stats", file.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("57 examples", "tokens (o200k_base", "epochs: 3", "estimated training cost: USD");
    }

    @Test
    void stats_countsTheCookbooksDataWarnings() throws Exception {
        Path file = dir.resolve("mixed.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"}]}",
                "{\"messages\":[{\"role\":\"system\",\"content\":\"Greet.\"},{\"role\":\"assistant\",\"content\":\"Hi\"}]}",
                "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"Up\"},"
                        + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_id\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"up\",\"arguments\":\"\\\"{\\\\\\\"m\\\\\\\": 1}\\\"\"}}]}]}",
                ""));

        Cli.Result human = Cli.run("stats", file.toString());
        Cli.Result json = Cli.run("stats", file.toString(), "--json");

        assertThat(human.exitCode()).as(human.toString()).isZero();
        assertThat(human.stdout()).contains("  data warnings: 1 without a system message, 1 without a user message, "
                + "1 with tool arguments encoded twice");
        JsonNode warnings = json.json().get("data_warnings");
        assertThat(Cli.fieldNames(warnings)).containsExactly("missing_system_message", "missing_user_message",
                "double_encoded_arguments");
        assertThat(warnings.get("missing_system_message").asLong()).isEqualTo(1);
        assertThat(warnings.get("missing_user_message").asLong()).isEqualTo(1);
        assertThat(warnings.get("double_encoded_arguments").asLong()).isEqualTo(1);
    }

    @Test
    void statsHelp_saysThatToolsAndToolCallsAreCounted() {
        Cli.Result r = Cli.run("stats", "--help");

        assertThat(r.stdout().replaceAll("\\s+", " ")).contains("plus its tools and tool calls as their compact JSON text",
                "several times the formula's");
    }
}
