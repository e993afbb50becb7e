package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code assistants}, {@code versions}, {@code doctor}, {@code --lifecycle} and {@code FINETUNE4J_TODAY}
 * on a store whose active version is an OpenAI gpt-4o-mini fine-tune (no provider is called: the
 * facts are the ones the OpenAI module ships).
 */
class LifecycleCommandsTest {

    static final String BASE = "gpt-4o-mini-2024-07-18";
    static final String FT = "ft:gpt-4o-mini-2024-07-18:acme:ava:AbC123";

    @TempDir
    Path dir;

    private Emulated cli;
    private Map<String, String> env;

    @BeforeEach
    void setUp() {
        cli = new Emulated(dir.resolve("store"), null, null);
        env = cli.env();
        cli.ok("assistant", "create", "avatar-42", "--provider", "openai", "--model", BASE);
        cli.ok("models", "import", "avatar-42", "--provider", "openai", "--model-id", FT, "--base", BASE);
        cli.ok("activate", "avatar-42", "1");
        cli.ok("assistant", "create", "parser", "--provider", "huggingface", "--model", "Qwen/Qwen2.5-0.5B-Instruct");
    }

    @Test
    void assistants_nameTheShutdownOfTheLiveVersion() {
        Cli.Result r = cli.ok("assistants");

        assertThat(r.stdout()).contains("shuts down 2027-01-14 (in 41 days, secondary source)")
                .contains("1 assistant live on a model with an end of life; `finetune4j doctor` says what to run");
        String parserLine = r.stdoutLines().stream().filter(l -> l.contains("parser")).findFirst().orElseThrow();
        assertThat(parserLine).endsWith(" -");

        JsonNode doc = cli.ok("assistants", "--json").json();
        JsonNode ava = doc.get("assistants").get(0);
        assertThat(ava.get("name").asText()).isEqualTo("avatar-42");
        assertThat(ava.get("lifecycle").get("shutdown_date").asText()).isEqualTo("2027-01-14");
        assertThat(ava.get("lifecycle").get("days_left").asLong()).isEqualTo(41);
        assertThat(ava.get("lifecycle").get("jobs_end_date").asText()).isEqualTo("2027-01-06");
        assertThat(doc.get("assistants").get(1).get("lifecycle").get("affected").asBoolean()).isFalse();
    }

    @Test
    void versions_carryTheLifecycleOfEachVersion_withSources() {
        JsonNode v1 = cli.ok("versions", "avatar-42", "--json").json().get("versions").get(0);

        JsonNode events = v1.get("lifecycle").get("events");
        assertThat(events).hasSize(3);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("source").asText()).startsWith("https://");
            assertThat(e.get("checked_on").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        });
        assertThat(events.get(1).get("kind").asText()).isEqualTo("jobs_end");
        assertThat(events.get(1).get("source_quality").asText()).isEqualTo("secondary");
        assertThat(cli.ok("versions", "avatar-42").stdout()).contains("shuts down 2027-01-14 (in 41 days");
    }

    @Test
    void doctor_listsTheAffectedAssistant_itsEvents_andTheMigrationCommand() {
        Cli.Result r = cli.ok("doctor");

        assertThat(r.stdoutLines()).startsWith("2 assistants, 1 affected (today is 2026-12-04; warnings start 30 "
                + "days before a shutdown)", "");
        assertThat(r.stdout()).contains("avatar-42: active v1 (openai " + FT + ") shuts down 2027-01-14 (in 41 days, "
                        + "secondary source)")
                .contains("    jobs_end 2027-01-06 (secondary, checked 2026-12-04) "
                        + "https://aihola.com/article/openai-ends-fine-tuning-2027")
                .doesNotContain("parser:");
        // the target: a provider on the class path that trains and has no end of life (never openai, mistral)
        assertThat(r.stdoutLines()).anySatisfy(l -> assertThat(l)
                .matches("  migrate: finetune4j migrate avatar-42 --to (?!openai |mistral )\\S+ --model \\S+"));

        JsonNode doc = cli.ok("doctor", "--json").json();
        assertThat(doc.get("today").asText()).isEqualTo("2026-12-04");
        assertThat(doc.get("affected").asInt()).isEqualTo(1);
        JsonNode ava = doc.get("assistants").get(0);
        assertThat(ava.get("migrate_command").asText()).isEqualTo(r.stdoutLines().stream()
                .filter(l -> l.startsWith("  migrate: ")).findFirst().orElseThrow().substring("  migrate: ".length()));
        assertThat(ava.get("models").get(0).get("role").asText()).isEqualTo("active");
        assertThat(ava.get("models").get(0).get("model_version").asInt()).isEqualTo(1);
        assertThat(doc.get("assistants").get(1).get("migrate_command").isNull()).isTrue();
    }

    @Test
    void today_fromTheEnvironment_movesEveryAnswer() {
        env.put("FINETUNE4J_TODAY", "2027-02-01");

        assertThat(cli.ok("doctor").stdout()).contains("(today is 2027-02-01;")
                .contains("shut down 2027-01-14 (18 days ago, secondary source)");
        assertThat(cli.ok("doctor", "--today", "2027-01-07").stdout()).as("the option wins")
                .contains("shuts down 2027-01-14 (in 7 days, secondary source)");
    }

    @Test
    void today_thatIsNotADate_isRefusedNamingTheVariable() {
        env.put("FINETUNE4J_TODAY", "07/01/2027");

        Cli.Result r = cli.run("doctor");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr())
                .contains("FINETUNE4J_TODAY is '07/01/2027'; expected a date YYYY-MM-DD, e.g. 2027-01-07");
    }

    @Test
    void lifecycleFile_dedicatedCapacity_movesTheShutdown() throws Exception {
        Path file = dir.resolve("ours.json");
        Files.writeString(file, """
                {"remove": [{"provider": "openai", "model": "*", "kind": "jobs_end"}],
                 "events": [{"provider": "openai", "model": "gpt-4o-mini-2024-07-18", "kind": "model_shutdown",
                             "date": "2027-12-31", "source": "https://intranet.example/contracts/42",
                             "checked_on": "2026-12-01", "source_quality": "host",
                             "note": "dedicated capacity"}]}
                """);
        env.put("FINETUNE4J_LIFECYCLE", file.toString());

        JsonNode ava = cli.ok("assistants", "--json").json().get("assistants").get(0);

        assertThat(ava.get("lifecycle").get("shutdown_date").asText()).isEqualTo("2027-12-31");
        assertThat(ava.get("lifecycle").get("jobs_end_date").isNull()).isTrue();
        assertThat(cli.ok("--lifecycle", file.toString(), "doctor").stdout())
                .contains("shuts down 2027-12-31 (in 392 days)")
                .contains("model_shutdown 2027-12-31 (host, checked 2026-12-01) https://intranet.example/contracts/42");
    }

    @Test
    void lifecycleFile_withAWrongEntry_isRefusedNamingIt() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"events\": [{\"provider\": \"openai\", \"model\": \"*\", \"kind\": \"ends\"}]}");

        Cli.Result r = cli.run("--lifecycle", file.toString(), "doctor", "--json");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("lifecycle");
        assertThat(r.stderr()).contains("lifecycle file " + file + " events[0]: 'kind' is 'ends'; expected one of "
                + "[jobs_end, model_shutdown, deployments_retire, deprecated]");
    }

    @Test
    void doctor_withoutAffectedAssistants_saysSo() throws Exception {
        cli.ok("deactivate", "avatar-42");
        Path file = dir.resolve("none.json");
        List<String> kinds = List.of("deprecated", "jobs_end");
        StringBuilder removals = new StringBuilder();
        for (String k : kinds) {
            removals.append(removals.length() == 0 ? "" : ",").append("{\"provider\": \"openai\", \"model\": \"*\", "
                    + "\"kind\": \"" + k + "\"}");
        }
        removals.append(",{\"provider\": \"openai\", \"model\": \"" + BASE + "\", \"kind\": \"model_shutdown\"}");
        Files.writeString(file, "{\"remove\": [" + removals + "]}");

        Cli.Result r = cli.ok("--lifecycle", file.toString(), "doctor");

        assertThat(r.stdoutLines()).containsExactly("2 assistants, 0 affected (today is 2026-12-04; warnings start "
                + "30 days before a shutdown)", "no live model has a known end of life");
    }
}
