package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.testkit.JobProgression;
import dev.finetune4j.testkit.MistralEmulator;
import dev.finetune4j.testkit.OpenAiEmulator;
import dev.finetune4j.testkit.RecordedRequest;
import dev.finetune4j.testkit.ScriptedFault;
import java.time.Duration;
import java.util.List;
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
        assertThat(Cli.fieldNames(doc)).containsExactly("job", "estimate", "reused_existing_job", "reuse_reason");
        assertThat(doc.get("reused_existing_job").asBoolean()).isFalse();
        assertThat(doc.get("reuse_reason").isNull()).isTrue();
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
    void trainTwice_whileTheFirstIsUnfinished_reusesIt_andAgainTrainsANewJob() {
        String first = cli.ok("train", "voice-parser", "--json").json().get("job").get("id").asText();

        Cli.Result human = cli.run("train", "voice-parser");
        JsonNode json = cli.ok("train", "voice-parser", "--json").json();

        assertThat(human.exitCode()).as(human.toString()).isZero();
        assertThat(human.stdout()).contains("job " + first + " for the same data and settings is already ",
                " at openai as ftjob-", "; not creating another (--again trains a new one)");
        assertThat(json.get("job").get("id").asText()).isEqualTo(first);
        assertThat(json.get("reused_existing_job").asBoolean()).isTrue();
        assertThat(json.get("reuse_reason").asText()).isEqualTo("unfinished");
        assertThat(openai.jobs()).hasSize(1);

        JsonNode again = cli.ok("train", "voice-parser", "--again", "--json").json();

        assertThat(again.get("job").get("id").asText()).isNotEqualTo(first);
        assertThat(again.get("reused_existing_job").asBoolean()).isFalse();
        assertThat(openai.jobs()).hasSize(2);
    }

    @Test
    void trainAfterItTrained_saysAlreadyTrained_andSendsNothing() {
        JsonNode trained = cli.ok("train", "voice-parser", "--wait", "--json").json().get("job");
        int requestsBefore = openai.requests().size();

        Cli.Result r = cli.run("train", "voice-parser", "--wait");
        JsonNode json = cli.ok("train", "voice-parser", "--json").json();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("already trained: job " + trained.get("id").asText() + " for the same data "
                        + "and settings registered model v1 (" + trained.get("fine_tuned_model").asText() + "); nothing "
                        + "was sent to openai",
                "activate its model with `finetune4j activate voice-parser 1`; --again trains a new job");
        assertThat(json.get("reuse_reason").asText()).isEqualTo("already_trained");
        assertThat(json.get("job").get("model_version").asInt()).isEqualTo(1);
        assertThat(openai.requests()).hasSize(requestsBefore);
        assertThat(openai.jobs()).hasSize(1);
    }

    @Test
    void train_afterALostCreateAndRateLimitedLookups_exits3SayingTheJobMayExist_thenTrainAgainAdoptsIt() {
        // The look-up before the create is answered (late), the create is processed but its answer
        // lost, and the three look-ups after it (one and two retries) are rate-limited.
        openai.on("/fine_tuning/jobs").slowNext(Duration.ofMillis(1)).loseResponseNext().rateLimitNext(3, 0);

        Cli.Result lost = cli.run("train", "voice-parser");
        String id = cli.ok("jobs", "--json").json().get("jobs").get(0).get("id").asText();
        Cli.Result lostJson = cli.ok("jobs", "voice-parser", "--json");

        assertThat(lost.exitCode()).as(lost.toString()).isEqualTo(3);
        assertThat(lost.stderr()).contains("finetune4j: job " + id + " may exist at openai: the answer to its create "
                        + "request was lost (",
                "and looking it up by its tag failed: ", "429",
                "Its local record " + id + " stays pending; `finetune4j jobs resume` (or this train again) looks for "
                        + "it at openai by its tag and adopts it, without creating another");
        assertThat(lostJson.json().get("jobs")).singleElement().satisfies(j -> {
            assertThat(j.get("remote_id").isNull()).isTrue();
            assertThat(j.get("status").asText()).isEqualTo("pending");
        });
        assertThat(openai.jobs()).as("the create arrived").hasSize(1);
        assertThat(openai.pendingFaults()).isZero();
        assertThat(openai.requests()).filteredOn(r -> r.path().startsWith("/v1/fine_tuning/jobs"))
                .extracting(r -> r.method() + " " + r.path().replaceAll("\\?.*", ""), RecordedRequest::fault)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("GET /v1/fine_tuning/jobs", ScriptedFault.SLOW),
                        org.assertj.core.groups.Tuple.tuple("POST /v1/fine_tuning/jobs", ScriptedFault.LOSE_RESPONSE),
                        org.assertj.core.groups.Tuple.tuple("GET /v1/fine_tuning/jobs", ScriptedFault.RATE_LIMIT),
                        org.assertj.core.groups.Tuple.tuple("GET /v1/fine_tuning/jobs", ScriptedFault.RATE_LIMIT),
                        org.assertj.core.groups.Tuple.tuple("GET /v1/fine_tuning/jobs", ScriptedFault.RATE_LIMIT));

        JsonNode again = cli.ok("train", "voice-parser", "--json").json();

        assertThat(again.get("job").get("id").asText()).isEqualTo(id);
        assertThat(again.get("reuse_reason").asText()).isEqualTo("unfinished");
        assertThat(openai.jobs()).singleElement()
                .satisfies(j -> assertThat(again.get("job").get("remote_id").asText()).isEqualTo(j.id()));
        assertThat(openai.requests()).filteredOn(r -> r.method().equals("POST")
                && r.path().equals("/v1/fine_tuning/jobs")).hasSize(1);
    }

    @Test
    void train_lostCreate_json_isAJobMayExistError() {
        openai.on("/fine_tuning/jobs").slowNext(Duration.ofMillis(1)).loseResponseNext().rateLimitNext(3, 0);

        Cli.Result r = cli.run("train", "voice-parser", "--json");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("job_may_exist");
        assertThat(r.json().get("error").get("message").asText()).contains("may exist at openai",
                "`finetune4j jobs resume`");
        Cli.Result resume = cli.run("jobs", "resume", "--json");
        assertThat(resume.exitCode()).as(resume.toString()).isZero();
        assertThat(resume.json().get("jobs")).singleElement()
                .satisfies(j -> assertThat(j.get("remote_id").asText()).isEqualTo(openai.jobs().get(0).id()));
        assertThat(openai.jobs()).hasSize(1);
    }

    @Test
    void trainEstimate_onMistral_thenTrain_startsThePreviewedJob_insteadOfMeetingMistrals409() {
        String[] mistralArgs = {"--provider", "mistral", "--model", "open-mistral-7b"};
        Cli.Result preview = cli.run(concat(new String[] {"train", "voice-parser", "--estimate"}, mistralArgs));
        assertThat(preview.exitCode()).as(preview.toString()).isZero();
        String id = preview.stdout().replaceAll("(?s).*job start (ftj-[a-z0-9]+).*", "$1");

        Cli.Result train = cli.run(concat(new String[] {"train", "voice-parser", "--wait"}, mistralArgs));

        assertThat(train.exitCode()).as(train.toString()).isZero();
        assertThat(train.stdout()).contains("job " + id + " for the same data and settings was created without "
                + "starting it, for its cost preview of USD ", "; started it at mistral as ",
                "registered as model v1 of voice-parser");
        String remote = mistral.jobs().get(0).id();
        assertThat(mistral.jobs()).singleElement().satisfies(j -> assertThat(j.status()).isEqualTo("SUCCESS"));
        List<String> sent = mistral.requests().stream().filter(r -> r.method().equals("POST"))
                .map(RecordedRequest::path).toList();
        assertThat(sent).containsExactly("/v1/files", "/v1/files", "/v1/fine_tuning/jobs",
                "/v1/fine_tuning/jobs/" + remote + "/start");
        assertThat(mistral.requests()).filteredOn(r -> r.method().equals("POST")
                && r.path().equals("/v1/fine_tuning/jobs")).singleElement()
                .satisfies(r -> assertThat(r.body()).contains("\"auto_start\":false", "\"suffix\":\"" + id + "\""));

        Cli.Result again = cli.run(concat(new String[] {"train", "voice-parser", "--again", "--json"}, mistralArgs));
        assertThat(again.exitCode()).as("--again creates a new job; Mistral takes it now the first one ended")
                .isZero();
        assertThat(mistral.jobs()).hasSize(2);
    }

    @Test
    void trainEstimate_onMistral_twice_previewsOneJob() {
        String[] args = {"train", "voice-parser", "--provider", "mistral", "--model", "open-mistral-7b", "--estimate",
            "--json"};
        JsonNode first = cli.ok(args).json();

        Cli.Result second = cli.run(java.util.Arrays.copyOf(args, args.length - 1));

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.stdout()).contains("job " + first.get("job").get("id").asText() + " for the same data and "
                + "settings was created without starting it, for its cost preview, and waits at mistral as ",
                "cost preview: USD ", "start it with `finetune4j job start ");
        assertThat(mistral.jobs()).hasSize(1);
    }

    @Test
    void train_ofAPreviewNotPricedYet_saysSo_andWithWaitWaitsForThePriceThenStartsIt() throws Exception {
        Path elsewhere = java.nio.file.Files.createDirectories(dir.resolve("manual"));
        try (MistralEmulator manual = MistralEmulator.builder().progression(JobProgression.manual()).start()) {
            Emulated on = new Emulated(elsewhere.resolve("store"), openai, manual).assistantWithSample(elsewhere);
            String[] train = {"train", "voice-parser", "--provider", "mistral", "--model", "open-mistral-7b"};
            Cli.Result preview = on.run(concat(train, new String[] {"--estimate", "--timeout", "1s"}));
            assertThat(preview.exitCode()).as("never priced: the manual emulator holds it queued").isEqualTo(3);
            String remote = manual.jobs().get(0).id();

            Cli.Result waiting = on.run(train);

            assertThat(waiting.exitCode()).as(waiting.toString()).isZero();
            assertThat(waiting.stdout()).contains("was created without starting it, for its cost preview, and waits at "
                    + "mistral as " + remote + "; mistral has not priced it yet; not creating another",
                    "shows its cost preview, or run this train with --wait");

            // Prices the job only once the waiting train polls it, then runs it to its end once started.
            String poll = "/v1/fine_tuning/jobs/" + remote;
            long before = manual.requests().stream().filter(r -> r.path().equals(poll)).count();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread provider = new Thread(() -> {
                while (!stop.get()) {
                    if (manual.requests().stream().filter(r -> r.path().equals(poll)).count() >= before + 2) {
                        manual.finishJobs();
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            provider.start();
            Cli.Result trained;
            try {
                trained = on.run(concat(train, new String[] {"--wait", "--timeout", "60s"}));
            } finally {
                stop.set(true);
                provider.join();
            }

            assertThat(trained.exitCode()).as(trained.toString()).isZero();
            assertThat(trained.stdout()).contains("mistral has not priced it yet", "started job ",
                    "after its cost preview of USD ", "registered as model v1 of voice-parser");
            assertThat(manual.jobs()).singleElement().satisfies(j -> assertThat(j.status()).isEqualTo("SUCCESS"));
            assertThat(manual.requests()).filteredOn(r -> r.method().equals("POST")
                    && r.path().startsWith("/v1/fine_tuning/jobs")).extracting(RecordedRequest::path)
                    .containsExactly("/v1/fine_tuning/jobs", poll + "/start");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
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
