package dev.finetune4j.spi.kit;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.UploadedData;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings of {@link OpenAiCompatibleTraining} that OpenAI's own provider leaves at their
 * defaults (its tests cover those): what goes on the wire when a service keeps no metadata
 * filter, takes provider options, has its own suffix rule, its own file part type, no model
 * deletion, and a route of its own for large files.
 */
class OpenAiCompatibleTrainingTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String JOBS = "/api/fine_tuning/jobs";
    private static final UploadedData DATA = new UploadedData("file-t", "file-v", Map.of());

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    private static ProviderHttp http() {
        return ProviderHttp.builder("compat", URI.create(wm.baseUrl() + "/api")).build();
    }

    /** A service shaped like Azure's: options, 40-character suffixes of [A-Za-z0-9_-], no filter, no deletion. */
    private static OpenAiCompatibleTraining.Builder strict() {
        return OpenAiCompatibleTraining.builder(http())
                .maxSuffixLength(40)
                .suffixPattern("[A-Za-z0-9_-]+", "letters, digits, '-' and '_'")
                .filterJobsByMetadata(false)
                .tagAsDefaultSuffix(true)
                .option("tier", (value, body) -> {
                    if (!value.equals("gold") && !value.equals("silver")) {
                        throw new IllegalArgumentException("tier '" + value + "' is not gold or silver");
                    }
                    body.put("tier", value.toUpperCase(java.util.Locale.ROOT));
                })
                .fineTunedModels(m -> m.contains(".ft-"))
                .modelDeletion(false);
    }

    private static JobRequest request(String suffix, Map<String, String> options) {
        return new JobRequest("ftj-abcdefghjkmn", "ava", "base-1", DATA, Hyperparameters.builder().epochs(2).build(),
                suffix, true, options);
    }

    private static String job(String id, String suffix, String tag) {
        return "{\"object\":\"fine_tuning.job\",\"id\":\"" + id + "\",\"status\":\"running\",\"model\":\"base-1\","
                + "\"created_at\":1700000000,\"user_provided_suffix\":" + (suffix == null ? "null" : "\"" + suffix + "\"")
                + ",\"metadata\":" + (tag == null ? "null" : "{\"finetune4j_job\":\"" + tag + "\"}") + "}";
    }

    @Test
    void create_withoutSuffix_sendsTheTagAsSuffixBesideTheMetadataAndWritesTheOption() {
        wm.stubFor(post(urlPathEqualTo(JOBS)).willReturn(okJson(job("ftjob-1", "ftj-abcdefghjkmn", null))));

        RemoteJob created = strict().optionDefault("tier", "silver").build()
                .createJob(request(null, Map.of("tier", "gold")));

        assertThat(created.remoteId()).isEqualTo("ftjob-1");
        wm.verify(postRequestedFor(urlPathEqualTo(JOBS)).withRequestBody(equalToJson("""
                {"model":"base-1","training_file":"file-t","validation_file":"file-v",
                 "method":{"type":"supervised","supervised":{"hyperparameters":{"n_epochs":2}}},
                 "suffix":"ftj-abcdefghjkmn",
                 "metadata":{"finetune4j_job":"ftj-abcdefghjkmn","finetune4j_assistant":"ava"},
                 "tier":"GOLD"}""")));
    }

    @Test
    void create_optionDefault_appliesWhenTheRequestSetsNone_andTheUsersSuffixWins() {
        wm.stubFor(post(urlPathEqualTo(JOBS)).willReturn(okJson(job("ftjob-2", "mine", null))));

        strict().optionDefault("tier", "silver").build().createJob(request("my_suffix-1", Map.of()));

        wm.verify(postRequestedFor(urlPathEqualTo(JOBS))
                .withRequestBody(equalToJson("{\"suffix\":\"my_suffix-1\",\"tier\":\"SILVER\"}", true, true)));
    }

    @Test
    void checkRequest_refusesWhatTheServiceCannotTake_beforeAnythingIsSent() {
        OpenAiCompatibleTraining training = strict().build();

        assertThatThrownBy(() -> training.checkRequest(request("v1.2", Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("suffix 'v1.2' is not allowed by compat: it must be letters, digits, '-' and '_'");
        assertThatThrownBy(() -> training.checkRequest(request("x".repeat(41), Map.of())))
                .hasMessage("suffix '" + "x".repeat(41) + "' has 41 characters; compat allows at most 40");
        assertThatThrownBy(() -> training.checkRequest(request(null, Map.of("flavor", "a"))))
                .hasMessage("compat has no option 'flavor'; it knows [tier]");
        assertThatThrownBy(() -> training.checkRequest(request(null, Map.of("tier", "bronze"))))
                .hasMessage("tier 'bronze' is not gold or silver");
        assertThatThrownBy(() -> OpenAiCompatibleTraining.builder(http()).optionDefault("tier", "gold"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no option 'tier'");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void findByTag_withoutServerFilter_readsPagesAndMatchesMetadataOrTheSuffix() {
        wm.stubFor(get(urlPathEqualTo(JOBS)).withQueryParam("after", absent()).willReturn(okJson(
                "{\"object\":\"list\",\"has_more\":true,\"data\":[" + job("ftjob-9", null, "ftj-other") + ","
                        + job("ftjob-8", "ftj-abcdefghjkmn", null) + "]}")));
        wm.stubFor(get(urlPathEqualTo(JOBS)).withQueryParam("after", equalTo("ftjob-8")).willReturn(okJson(
                "{\"object\":\"list\",\"has_more\":false,\"data\":[" + job("ftjob-7", "x", "ftj-zzz") + "]}")));

        Optional<RemoteJob> found = strict().build().findJobByTag("ftj-abcdefghjkmn");

        assertThat(found).map(RemoteJob::remoteId).contains("ftjob-8");
        assertThat(found).map(RemoteJob::status).contains(JobStatus.RUNNING);
        List<String> queries = new ArrayList<>();
        wm.findAll(getRequestedFor(urlPathEqualTo(JOBS))).forEach(r -> queries.add(r.getUrl()));
        assertThat(queries).containsExactly(JOBS + "?limit=100", JOBS + "?limit=100&after=ftjob-8");
    }

    @Test
    void findByTag_suffixIsNotATagUnlessTheTagIsTheDefaultSuffix() {
        wm.stubFor(get(urlPathEqualTo(JOBS)).willReturn(okJson(
                "{\"object\":\"list\",\"has_more\":false,\"data\":[" + job("ftjob-8", "ftj-abcdefghjkmn", null) + "]}")));

        assertThat(OpenAiCompatibleTraining.builder(http()).build().findJobByTag("ftj-abcdefghjkmn")).isEmpty();
        wm.verify(getRequestedFor(urlPathEqualTo(JOBS))
                .withQueryParam("metadata[finetune4j_job]", equalTo("ftj-abcdefghjkmn")));
    }

    @Test
    void deleteModel_turnedOff_refusesWithoutACall() {
        assertThatThrownBy(() -> strict().build().deleteModel("base-1.ft-0123"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("compat offers no API to delete a fine-tuned model (DELETE_MODEL)");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void upload_usesThePartContentType_andSendsLargeFilesTheProvidersWay() throws Exception {
        Path small = Files.writeString(dir.resolve("t.jsonl"), "{\"messages\":[]}\n", StandardCharsets.UTF_8);
        Path large = Files.writeString(dir.resolve("v.jsonl"), "{\"messages\":[]}\n".repeat(10), StandardCharsets.UTF_8);
        wm.stubFor(post(urlPathEqualTo("/api/files")).willReturn(okJson("{\"id\":\"file-small\",\"object\":\"file\"}")));
        List<String> sentLarge = new ArrayList<>();
        OpenAiCompatibleTraining training = OpenAiCompatibleTraining.builder(http())
                .filePartContentType("application/json")
                .largeFiles(100, "blob", (file, name, bytes) -> {
                    sentLarge.add(name + ":" + bytes);
                    return "file-large";
                })
                .build();

        UploadedData uploaded = training.upload(new TrainingData("dv-1", "ava main@3", small, large, 1));

        assertThat(uploaded.trainingRef()).isEqualTo("file-small");
        assertThat(uploaded.validation()).contains("file-large");
        assertThat(sentLarge).containsExactly("ava-main-3-validation.jsonl:" + Files.size(large));
        assertThat(uploaded.details()).containsEntry("training_upload", "files").containsEntry("validation_upload", "blob")
                .containsEntry("training_filename", "ava-main-3.jsonl");
        wm.verify(1, postRequestedFor(urlPathEqualTo("/api/files"))
                .withRequestBodyPart(aMultipart().withName("purpose").withBody(equalTo("fine-tune")).build())
                .withRequestBodyPart(aMultipart().withName("file")
                        .withHeader("Content-Type", equalTo("application/json")).build()));
    }
}
