package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CapturesCommandTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @TempDir
    Path dir;

    Emulated cli;

    @BeforeEach
    void setUp() {
        cli = new Emulated(dir.resolve("store"), openai, null).assistantWithSample(dir);
        cli.train();
        cli.ok("activate", "voice-parser", "1");
    }

    private String chat(String text) {
        return cli.ok("chat", "voice-parser", text, "--capture", "--json").json().get("call_id").asText();
    }

    @Test
    void capturedCalls_takeFeedback_areListedAndShown_andCurateIntoANewDatasetVersion() {
        String good = chat("squat 315 for 5");
        String bad = chat("bench 225 for 3");
        String unrated = chat("deadlift 405 for 1");

        cli.ok("feedback", good, "--up", "--tag", "topic=legs");
        Cli.Result corrected = cli.ok("feedback", bad, "--down", "--correction",
                "{\"exercise_name\":\"bench press\",\"weight\":225,\"reps\":3}", "--note", "wrong exercise");
        assertThat(corrected.stdout()).contains("feedback stored on " + bad + " (voice-parser): down, corrected");

        JsonNode list = cli.ok("captures", "list", "voice-parser", "--json").json();
        assertThat(list.get("captures")).hasSize(3);
        assertThat(list.get("captures").get(0).get("call_id").asText()).isEqualTo(good);
        assertThat(list.get("captures").get(0).get("feedback").get("rating").asText()).isEqualTo("up");
        assertThat(list.get("captures").get(2).get("feedback").isNull()).isTrue();
        assertThat(cli.ok("captures", "list", "voice-parser", "--corrected", "--json").json().get("captures"))
                .singleElement().satisfies(c -> assertThat(c.get("call_id").asText()).isEqualTo(bad));
        assertThat(cli.ok("captures", "list", "voice-parser", "--tag", "topic=legs").stdout()).contains(good)
                .doesNotContain(bad).contains("1 capture");

        Cli.Result shown = cli.ok("captures", "show", bad);
        assertThat(shown.stdout()).contains("user: bench 225 for 3", "feedback: down, corrected",
                "correction: {\"exercise_name\":\"bench press\"", "note: wrong exercise");

        JsonNode curated = cli.ok("captures", "curate", "voice-parser", "--dataset", "prod", "--rated", "--json")
                .json();
        assertThat(curated.get("selected").asLong()).isEqualTo(2);
        assertThat(curated.get("rejected").asLong()).isZero();
        assertThat(curated.get("created").asBoolean()).isTrue();
        assertThat(curated.get("added").asLong()).isEqualTo(2);
        assertThat(curated.get("number").asInt()).isEqualTo(1);
        assertThat(unrated).isNotIn(good, bad);
    }

    @Test
    void prune_deletesCapturesOlderThanThePeriod_withTheirFeedback() {
        String id = chat("squat 315 for 5");
        cli.ok("feedback", id, "--up");

        Cli.Result none = cli.ok("captures", "prune", "voice-parser", "--older-than", "90d");
        assertThat(none.stdout()).contains("voice-parser: 0 captured calls before ", " deleted (0 segments");
        assertThat(cli.ok("captures", "list", "voice-parser", "--json").json().get("captures")).hasSize(1);

        String later = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(100).toString();
        JsonNode pruned = cli.ok("captures", "prune", "voice-parser", "--older-than", "90d", "--today", later,
                "--json").json();
        assertThat(pruned.get("segments").asLong()).isEqualTo(1);
        assertThat(pruned.get("captures").asLong()).isEqualTo(1);
        assertThat(pruned.get("feedback").asLong()).isEqualTo(1);
        assertThat(pruned.get("bytes").asLong()).isPositive();
        assertThat(cli.ok("captures", "list", "voice-parser", "--json").json().get("captures")).isEmpty();
        assertThat(cli.run("captures", "show", id).exitCode()).isEqualTo(ExitCodes.INPUT);

        assertThat(cli.run("captures", "prune", "voice-parser").exitCode()).as("no period").isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("captures", "prune", "voice-parser", "--older-than", "ninety").exitCode())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("captures", "prune", "nobody", "--older-than", "1d").exitCode())
                .isEqualTo(ExitCodes.INPUT);
    }

    @Test
    void feedback_badInput_hasTheConventionsExitCodes() {
        String id = chat("squat 315 for 5");

        assertThat(cli.run("feedback", "42", "--up").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("feedback", id).exitCode()).as("no verdict").isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("feedback", id, "--up", "--down").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("feedback", id, "--score", "3").exitCode()).isEqualTo(ExitCodes.USAGE);
        Cli.Result unknown = cli.run("feedback", "c" + "0".repeat(28), "--up");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.INPUT);
        assertThat(unknown.stderr()).contains("has no capture of call c" + "0".repeat(28));
    }
}
