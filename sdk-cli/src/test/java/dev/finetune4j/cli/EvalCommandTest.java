package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** eval and promote on a model trained on the emulator. */
class EvalCommandTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @TempDir
    Path dir;

    Emulated cli;

    @BeforeEach
    void setUp() {
        cli = new Emulated(dir.resolve("store"), openai, null).assistantWithSample(dir);
        cli.train();
    }

    @Test
    void eval_json_reportAndComparisonOfTheFirstAgainstTheSecond() {
        Cli.Result r = cli.run("eval", "voice-parser", "--versions", "1,base", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("report", "comparison");
        JsonNode report = doc.get("report");
        assertThat(Cli.fieldNames(report)).containsExactly("id", "assistant", "evaluation_set", "examples", "scorer",
                "targets");
        assertThat(report.get("evaluation_set").asText()).isEqualTo("voice-parser/main@1 validation");
        assertThat(report.get("scorer").asText()).isEqualTo("json-fields");
        assertThat(report.get("targets")).extracting(t -> t.get("label").asText()).containsExactly("v1", "base");
        JsonNode base = report.get("targets").get(1);
        assertThat(base.get("model_version").isNull()).isTrue();
        assertThat(base.get("unparseable").asLong()).isEqualTo(report.get("examples").asLong());
        assertThat(Cli.fieldNames(base.get("fields"))).contains("exercise_name", "reps", "weight");
        JsonNode c = doc.get("comparison");
        assertThat(Cli.fieldNames(c)).containsExactly("candidate", "baseline", "scorer", "candidate_mean",
                "baseline_mean", "difference", "ci_low", "ci_high", "p_value", "significantly_better", "right_to_wrong",
                "wrong_to_right", "field_differences", "regressions");
        assertThat(c.get("candidate").asText()).isEqualTo("v1");
        assertThat(c.get("difference").asDouble()).isPositive();
        assertThat(c.get("right_to_wrong").asInt()).isZero();
    }

    @Test
    void eval_human_printsTheTableAndTheComparison() {
        Cli.Result r = cli.run("eval", "voice-parser", "--versions", "v1,base", "--split", "train", "--max", "5");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("on voice-parser/main@1 train (5 examples)", "v1       json-fields  mean",
                "v1 against base (json-fields): +", "95 % CI [", "p = ", "right to wrong: 0 examples",
                "fields (points): exercise_name +");
    }

    @Test
    void eval_oneTarget_hasNoComparison_andOtherScorers() {
        JsonNode doc = cli.ok("eval", "voice-parser", "--versions", "1", "--scorer", "exact", "--json").json();

        assertThat(doc.get("comparison").isNull()).isTrue();
        assertThat(doc.get("report").get("scorer").asText()).isEqualTo("exact");
        assertThat(cli.run("eval", "voice-parser", "--versions", "1", "--scorer", "bleu").exitCode()).isEqualTo(2);
        assertThat(cli.run("eval", "voice-parser").exitCode()).isEqualTo(2);
    }

    @Test
    void promote_ifBetter_activatesTheVersion_andTheTimelineCarriesTheFigures() {
        Cli.Result r = cli.run("promote", "voice-parser", "1", "--if-better", "--actor", "ci", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("assistant", "promoted", "reason", "candidate", "against",
                "selection", "report", "comparison");
        assertThat(doc.get("promoted").asBoolean()).isTrue();
        assertThat(doc.get("against").asText()).isEqualTo("base");
        assertThat(doc.get("selection").get("active_model_version").asInt()).isEqualTo(1);
        JsonNode last = lastTimelineEntry();
        assertThat(last.get("actor").asText()).isEqualTo("ci");
        assertThat(last.get("reason").asText()).startsWith("promoted: eval-").contains("json-fields v1");
    }

    @Test
    void promote_whenNotBetter_exits1_andChangesNothing() {
        cli.ok("models", "import", "voice-parser", "--provider", "openai", "--model-id",
                "ft:gpt-4o-mini-2024-07-18:acme:gone:00000000", "--base", Emulated.BASE);

        Cli.Result r = cli.run("promote", "voice-parser", "2", "--if-better", "--against", "1");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stdout()).contains("failed calls", "not promoted: the selection is unchanged");
        assertThat(r.stderr()).contains("finetune4j: not promoted: v2 is not better");
        assertThat(cli.ok("versions", "voice-parser", "--json").json().get("versions").get(1).get("active")
                .asBoolean()).isFalse();
    }

    @Test
    void promote_withoutIfBetter_isAUsageError() {
        Cli.Result r = cli.run("promote", "voice-parser", "1");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("needs --if-better", "finetune4j activate voice-parser 1");
    }

    private JsonNode lastTimelineEntry() {
        JsonNode entries = cli.ok("timeline", "voice-parser", "--json").json().get("entries");
        return entries.get(entries.size() - 1);
    }
}
