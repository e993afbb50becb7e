package dev.finetune4j.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.FineTuning;
import dev.finetune4j.InsufficientExamplesException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import example.acme.AcmeProvider;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider written outside the tree ({@code example.acme}, registered only in this module's test
 * {@code META-INF/services}) works everywhere a built-in one does, with no edit to sdk-core or the
 * CLI: the CLI accepts and lists its id, validates with its rules, trains, lists jobs, chats and
 * evaluates through it, and so does the library API. Its service is WireMock; every call is checked
 * on the wire.
 */
class ExternalProviderTest {

    static final String KEY = "acme-key-0123456789";
    static final String MODEL = "acme-small:ft:ava:1";

    @RegisterExtension
    static WireMockExtension acme = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private Map<String, String> env;

    @BeforeEach
    void stubAcme() {
        env = Map.of("ACME_API_KEY", KEY, "ACME_BASE_URL", acme.baseUrl() + "/v1");
        acme.stubFor(post("/v1/files").willReturn(okJson("{\"id\":\"file-train\"}")));
        acme.stubFor(post("/v1/fine-tunes").willReturn(okJson(
                "{\"id\":\"ft-1\",\"status\":\"queued\",\"model\":\"acme-small\"}")));
        acme.stubFor(get("/v1/fine-tunes/ft-1").willReturn(okJson(
                "{\"id\":\"ft-1\",\"status\":\"succeeded\",\"model\":\"acme-small\",\"fine_tuned_model\":\"" + MODEL
                        + "\"}")));
        acme.stubFor(post("/v1/chat/completions").willReturn(okJson("""
                {"id":"chatcmpl-1","object":"chat.completion","model":"acme-small:ft:ava:1",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"{\\"exercise\\":\\"squat\\"}"},
                             "finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}""")));
    }

    private Cli.Result cli(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = dir.resolve("store").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.runWithEnv(env, all);
    }

    private Cli.Result ok(String... args) {
        Cli.Result r = cli(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void help_listsTheDiscoveredProvider_withWhatItsDescriptorSays() {
        Cli.Result top = Cli.run("--help");
        Cli.Result validate = Cli.run("validate", "--help");

        assertThat(top.exitCode()).isZero();
        assertThat(top.stdout()).containsPattern("(?m)^  acme +Acme AI, default model acme-small\n +\\$ACME_API_KEY "
                + "\\$ACME_BASE_URL$");
        assertThat(top.stdout()).containsPattern("(?m)^  openai +OpenAI, default model gpt-4o-mini-2024-07-18\n "
                + "+\\$OPENAI_API_KEY \\$OPENAI_BASE_URL");
        assertThat(validate.stdout().replaceAll("\\s+", " "))
                .contains("Whose data rules to apply: ")
                .containsPattern("apply: [a-z, ]*acme");
    }

    @Test
    void validate_acceptsTheId_andAppliesItsRules() throws Exception {
        Path file = dir.resolve("data.jsonl");
        Files.writeString(file, """
                {"messages":[{"role":"user","content":"squat 100 for 5"},{"role":"assistant","content":"ok"}]}
                {"messages":[{"role":"user","content":"bench 80"},{"role":"assistant","content":"ok"},{"role":"user","content":"and?"}]}
                """);

        Cli.Result withAcme = Cli.run("validate", file.toString(), "--provider", "ACME", "--json");
        Cli.Result human = Cli.run("validate", file.toString(), "--provider", "acme");
        Cli.Result withOpenAi = Cli.run("validate", file.toString(), "--provider", "openai", "--json");

        assertThat(withAcme.exitCode()).as(withAcme.toString()).isEqualTo(1);
        JsonNode doc = withAcme.json();
        assertThat(doc.get("provider").asText()).isEqualTo("acme");
        assertThat(doc.get("errors")).singleElement().satisfies(e -> {
            assertThat(e.get("line").asLong()).isEqualTo(2);
            assertThat(e.get("code").asText()).isEqualTo("last_message_not_assistant");
            assertThat(e.get("message").asText()).isEqualTo("the last message is user; Acme AI requires an assistant "
                    + "message last");
        });
        assertThat(human.stdoutLines().get(0)).endsWith("(acme rules)");
        assertThat(withOpenAi.exitCode()).as("the shared rules accept it").isZero();
    }

    @Test
    void anUnknownProvider_isAUsageError_namingTheOnesFound() {
        Cli.Result r = Cli.run("validate", "any.jsonl", "--provider", "nosuch");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("unknown provider 'nosuch': this build has ")
                .contains("openai", "mistral", "huggingface", "acme");
    }

    @Test
    void stats_usesItsDefaultModel_tokenLimit_andMinimum() {
        Path file = Cli.sample(dir, Samples.FIRST_BATCH);

        JsonNode doc = ok("stats", file.toString(), "--provider", "acme", "--json").json();

        assertThat(doc.get("provider").asText()).isEqualTo("acme");
        assertThat(doc.get("model").asText()).isEqualTo("acme-small");
        assertThat(doc.get("max_tokens_per_example").asInt()).isEqualTo(4_096);
        assertThat(doc.get("estimated_cost").isNull()).as("no list price for acme").isTrue();
        assertThat(doc.get("minimum_examples").get("hard").asInt()).isEqualTo(5);
        assertThat(doc.get("minimum_examples").get("source").asText()).startsWith("Acme AI docs");
    }

    @Test
    void trainJobsChatAndEval_throughTheCli() {
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);
        ok("dataset", "append", "ava/main", sample.toString(), "--provider", "acme");
        ok("assistant", "create", "ava", "--provider", "acme", "--model", "acme-small");

        JsonNode job = ok("train", "ava", "--wait", "--json").json().get("job");
        JsonNode jobs = ok("jobs", "ava", "--json").json().get("jobs");
        ok("activate", "ava", "1");
        JsonNode chat = ok("chat", "ava", "squat 100 for 5", "--json").json();
        JsonNode eval = ok("eval", "ava", "--versions", "1", "--max", "3", "--json").json();

        assertThat(job.get("provider").asText()).isEqualTo("acme");
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(job.get("fine_tuned_model").asText()).isEqualTo(MODEL);
        assertThat(job.get("model_version").asInt()).isEqualTo(1);
        assertThat(jobs).singleElement().satisfies(j -> assertThat(j.get("remote_id").asText()).isEqualTo("ft-1"));
        assertThat(chat.get("content").asText()).isEqualTo("{\"exercise\":\"squat\"}");
        assertThat(chat.get("served_by").get("provider").asText()).isEqualTo("acme");
        assertThat(chat.get("served_by").get("provider_model_id").asText()).isEqualTo(MODEL);
        JsonNode v1 = eval.get("report").get("targets").get(0);
        assertThat(v1.get("examples").asInt()).isEqualTo(3);
        assertThat(v1.get("failed_calls").asInt()).as("every example answered by acme").isZero();
        acme.verify(postRequestedFor(urlEqualTo("/v1/files")).withHeader("Authorization", equalTo("Bearer " + KEY))
                .withRequestBody(containing("filename=\"train.jsonl\"")).withRequestBody(containing("squat")));
        // Acme declares no VALIDATION_FILE capability: the validation split is not sent
        acme.verify(0, postRequestedFor(urlEqualTo("/v1/files"))
                .withRequestBody(containing("filename=\"validation.jsonl\"")));
        acme.verify(postRequestedFor(urlEqualTo("/v1/fine-tunes")).withRequestBody(equalToJson("{\"model\":"
                + "\"acme-small\",\"training_file\":\"file-train\",\"tag\":\"" + job.get("id").asText() + "\"}")));
        acme.verify(1, postRequestedFor(urlEqualTo("/v1/fine-tunes")));
        acme.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withRequestBody(matchingJsonPath("$.model", equalTo(MODEL)))
                .withRequestBody(matchingJsonPath("$.messages[0].content", equalTo("squat 100 for 5"))));
        acme.verify(1 + 3, postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(MODEL))));
    }

    @Test
    void theLibraryApi_findsItByIdAndTrainsAndChats_underItsPublishedRules() {
        Provider provider = Providers.create("acme", ProviderConfig.builder()
                .endpoint(URI.create(acme.baseUrl() + "/v1")).apiKey(ApiKey.of(KEY)).build());
        assertThat(provider).isInstanceOf(AcmeProvider.class);
        assertThat(TrainingPolicy.defaults().minimumExamples("acme", "acme-small").hard()).isEqualTo(5);
        try (FineTuning ft = FineTuning.builder().store(dev.finetune4j.store.VersionStores.inMemory())
                .provider(provider).sleeper(d -> { }).build()) {
            Assistant ava = ft.createAssistant("ava", "acme", "acme-small");
            ft.dataset("ava/main").append(IntStream.range(0, 4).mapToObj(i -> Example.of(
                    Message.user("squat " + (60 + i)), Message.assistant("{\"kg\":" + (60 + i) + "}"))).toList(), null);
            assertThatThrownBy(() -> ft.jobs().submit(FineTuneSpec.builder("ava", "main").build()))
                    .isInstanceOf(InsufficientExamplesException.class)
                    .hasMessageContaining("acme requires at least 5 (Acme AI docs");
            ft.dataset("ava/main").append(IntStream.range(4, 30).mapToObj(i -> Example.of(
                    Message.user("squat " + (60 + i)), Message.assistant("{\"kg\":" + (60 + i) + "}"))).toList(), null);

            FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("ava", "main").build())
                    .awaitCompletion(Duration.ofMinutes(5));
            assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
            ava.activate(job.modelVersion().orElseThrow(), Change.SYSTEM);
            ChatResponse answer;
            try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
                answer = router.chat(ChatRequest.of("ava", "squat 100 for 5"));
            }

            assertThat(answer.servedBy().provider()).isEqualTo("acme");
            assertThat(answer.servedBy().providerModelId()).isEqualTo(MODEL);
            assertThat(answer.servedBy().fallback()).isFalse();
            acme.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                    .withRequestBody(matchingJsonPath("$.model", equalTo(MODEL))));
        }
    }
}
