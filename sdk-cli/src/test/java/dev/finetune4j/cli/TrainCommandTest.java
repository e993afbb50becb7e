package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.testkit.MistralEmulator;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** train, jobs, job show|cancel|start, jobs resume against the testkit's emulators. */
class TrainCommandTest {

    static final String[] JOB_FIELDS = {"id", "assistant", "provider", "remote_id", "status", "raw_status",
        "base_model", "dataset_version", "model_version", "fine_tuned_model", "error", "cost_preview", "created_at"};

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @RegisterExtension
    static MistralEmulator mistral = MistralEmulator.create();

    @TempDir
    Path dir;

    Emulated cli;

    @BeforeEach
    void setUp() {
        cli = new Emulated(dir.resolve("store"), openai, mistral).assistantWithSample(dir);
    }

    @Test
    void trainWait_json_submitsOneJobWaitsAndPrintsTheRegisteredVersion() {
        Cli.Result r = cli.run("train", "voice-parser", "--dataset", "main@1", "--wait", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("job", "estimate");
        JsonNode job = doc.get("job");
        assertThat(Cli.fieldNames(job)).containsExactly(JOB_FIELDS);
        assertThat(job.get("id").asText()).startsWith("ftj-");
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(job.get("raw_status").asText()).isEqualTo("succeeded");
        assertThat(job.get("provider").asText()).isEqualTo("openai");
        assertThat(job.get("dataset_version").asText()).isEqualTo("voice-parser/main@1");
        assertThat(job.get("model_version").asInt()).isEqualTo(1);
        assertThat(job.get("error").isNull()).isTrue();
        assertThat(job.get("cost_preview").isNull()).isTrue();
        assertThat(openai.jobs()).singleElement().satisfies(j -> {
            assertThat(j.id()).isEqualTo(job.get("remote_id").asText());
            assertThat(j.fineTunedModel()).isEqualTo(job.get("fine_tuned_model").asText());
            assertThat(j.metadata()).containsEntry("finetune4j_job", job.get("id").asText());
        });
        JsonNode estimate = doc.get("estimate");
        assertThat(estimate.get("training_examples").asLong() + estimate.get("validation_examples").asLong())
                .isEqualTo(57);
        assertThat(estimate.get("epochs").asInt()).isEqualTo(3);
        assertThat(estimate.get("estimated_cost").get("currency").asText()).isEqualTo("USD");
        assertThat(estimate.get("dataset_version").asText()).isEqualTo("voice-parser/main@1");
        assertThat(r.stderr()).isEmpty();
        JsonNode versions = cli.ok("versions", "voice-parser", "--json").json().get("versions");
        assertThat(versions).singleElement().satisfies(v -> {
            assertThat(v.get("job_id").asText()).isEqualTo(job.get("id").asText());
            assertThat(v.get("dataset_version").asText()).isEqualTo("voice-parser/main@1");
            assertThat(v.get("active").asBoolean()).isFalse();
        });
    }

    @Test
    void trainWait_human_showsTheEstimateTheJobAndHowToActivate() {
        Cli.Result r = cli.run("train", "voice-parser", "--epochs", "2", "--wait");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("estimate for voice-parser/main@1 on openai gpt-4o-mini-2024-07-18:",
                "epochs 2, billed tokens", "submitted job ftj-", "succeeded after",
                "registered as model v1 of voice-parser (ready, not active): activate it with "
                        + "`finetune4j activate voice-parser 1`");
        assertThat(openai.jobs()).singleElement().satisfies(j -> assertThat(j.status()).isEqualTo("succeeded"));
    }

    @Test
    void trainWait_onATerminal_drawsAProgressLineOnStderr() {
        Cli.Result r = cli.onTerminal("train", "voice-parser", "--wait");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("\r", "[", "#", "succeeded", "loss ");
        assertThat(r.stdout()).doesNotContain("\r");
    }

    @Test
    void trainEstimate_onOpenAi_sendsNothing() {
        Cli.Result r = cli.run("train", "voice-parser", "--estimate", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().get("job").isNull()).isTrue();
        assertThat(r.json().get("estimate").get("billed_tokens").asLong()).isPositive();
        assertThat(openai.jobs()).isEmpty();
        assertThat(openai.files()).isEmpty();
    }

    @Test
    void trainEstimate_onMistral_showsTheCostPreview_thenJobStartTrainsIt() {
        Cli.Result preview = cli.run("train", "voice-parser", "--provider", "mistral", "--model", "open-mistral-7b",
                "--estimate");

        assertThat(preview.exitCode()).as(preview.toString()).isZero();
        assertThat(preview.stdout()).contains("cost preview: USD", "mistral's own price",
                "start it with `finetune4j job start ftj-");
        assertThat(mistral.jobs()).singleElement().satisfies(j -> assertThat(j.status()).isEqualTo("VALIDATED"));
        String id = preview.stdout().replaceAll("(?s).*job start (ftj-[a-z0-9]+).*", "$1");

        JsonNode started = cli.ok("job", "start", id, "--json").json().get("job");
        assertThat(started.get("cost_preview").get("currency").asText()).isEqualTo("USD");
        assertThat(started.get("raw_status").asText()).isIn("STARTED", "RUNNING");
        JsonNode show = cli.ok("job", "show", id, "--json").json();
        assertThat(show.get("refreshed").asBoolean()).isTrue();
        Cli.Result resume = cli.run("jobs", "resume", "--json");
        assertThat(resume.exitCode()).as(resume.toString()).isZero();
        assertThat(resume.json().get("jobs")).singleElement()
                .satisfies(j -> assertThat(j.get("id").asText()).isEqualTo(id));
        assertThat(resume.json().get("errors")).isEmpty();
        JsonNode job = resume.json().get("jobs").get(0);
        for (int i = 0; i < 10 && !job.get("status").asText().equals("succeeded"); i++) {
            job = cli.ok("job", "show", id, "--json").json().get("job");
        }
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(job.get("model_version").asInt()).isEqualTo(1);
        assertThat(job.get("base_model").asText()).isEqualTo("open-mistral-7b");
        assertThat(mistral.jobs()).hasSize(1);
    }

    @Test
    void jobCancel_cancelsARunningJob_andJobsListsIt() {
        String id = cli.ok("train", "voice-parser", "--json").json().get("job").get("id").asText();

        Cli.Result cancel = cli.run("job", "cancel", id);
        Cli.Result again = cli.run("job", "cancel", id);
        Cli.Result list = cli.run("jobs", "voice-parser");
        JsonNode listJson = cli.ok("jobs", "--json").json();

        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        assertThat(cancel.stdout()).startsWith("cancelled job " + id + ": validating ");
        assertThat(again.stdout()).startsWith("job " + id + " had already ended (cancelled); nothing to cancel");
        assertThat(openai.jobs()).singleElement().satisfies(j -> assertThat(j.status()).isEqualTo("cancelled"));
        assertThat(list.stdout()).contains("1 job of voice-parser", id, "cancelled", "voice-parser/main@1");
        assertThat(listJson.get("assistant").isNull()).isTrue();
        assertThat(listJson.get("jobs")).singleElement()
                .satisfies(j -> assertThat(Cli.fieldNames(j)).containsExactly(JOB_FIELDS));
    }

    @Test
    void jobStart_onOpenAi_exits1_itStartsJobsWhenTheyAreCreated() {
        String id = cli.ok("train", "voice-parser", "--json").json().get("job").get("id").asText();

        Cli.Result r = cli.run("job", "start", id, "--json");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("invalid_state");
        assertThat(r.stderr()).contains("openai starts jobs when they are created");
    }

    @Test
    void failedJob_exits3WithTheProvidersError() {
        openai.failNextJob("The job failed due to an internal error.");

        Cli.Result r = cli.run("train", "voice-parser", "--wait", "--json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.json().get("job").get("status").asText()).isEqualTo("failed");
        assertThat(r.json().get("job").get("error").get("code").asText()).isEqualTo("internal_error");
        assertThat(r.stderr()).contains("failed", "internal error");
    }

    @Test
    void withoutAKey_exits1NamingTheVariable() {
        Cli.Result r = Cli.runWithEnv(Map.of(), "--store", dir.resolve("store").toString(), "train", "voice-parser",
                "--json");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("provider_config");
        assertThat(r.stderr()).contains("provider openai is not configured", "OPENAI_API_KEY", "finetune4j emulator")
                .doesNotContain("ProviderConfig");
    }

    @Test
    void endpointOption_pointsTheProviderAtAnotherServer() {
        Map<String, String> keyOnly = Map.of("OPENAI_API_KEY", "sk-test");

        Cli.Result r = Cli.runWithEnv(keyOnly, "--store", dir.resolve("store").toString(), "--endpoint",
                openai.baseUrl(), "train", "voice-parser", "--wait", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(openai.jobs()).hasSize(1);
    }

    @Test
    void usageErrors_exit2() {
        assertThat(cli.run("train", "voice-parser", "--provider", "huggingface").stderr())
                .contains("name a huggingface base model with --model");
        assertThat(cli.run("train", "voice-parser", "--provider", "mistral").stderr())
                .contains("name a mistral base model with --model, e.g. open-mistral-7b");
        assertThat(cli.run("train", "voice-parser", "--model", "x", "--continue-from", "1").exitCode()).isEqualTo(2);
        assertThat(cli.run("train", "voice-parser", "--estimate", "--wait").exitCode()).isEqualTo(2);
        assertThat(cli.run("train", "voice-parser", "--timeout", "soon").exitCode()).isEqualTo(2);
        assertThat(cli.run("train", "voice-parser", "--dataset", "other/main").stderr())
                .contains("belongs to another assistant");
        assertThat(cli.run("--endpoint", "ftp://x", "train", "voice-parser").exitCode()).isEqualTo(2);
        assertThat(openai.jobs()).isEmpty();
    }

    @Test
    void unknownJob_exits1() {
        Cli.Result r = cli.run("job", "show", "ftj-000000000000");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("there is no job 'ftj-000000000000'");
    }
}
