package dev.finetune4j.together;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.together.TogetherFixtures.BEARER;
import static dev.finetune4j.together.TogetherFixtures.KEY;
import static dev.finetune4j.together.TogetherFixtures.LIMITS;
import static dev.finetune4j.together.TogetherFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.ServerException;
import dev.finetune4j.cost.Money;
import dev.finetune4j.cost.PriceQuote;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.UploadedData;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Together's price estimate on the wire ({@code POST /fine-tunes/estimate-price}) and how its answer reads. */
class TogetherQuoteTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String BASE = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";
    static final String TAG = "ftj-0123456789ab";
    static final String ESTIMATE = "/v1/fine-tunes/estimate-price";
    static final String ANSWER = """
            {"estimated_total_price": 12.345678901, "allowed_to_proceed": true, "user_limit": 100.10,
             "estimated_train_token_count": 2469135, "estimated_eval_token_count": 4096}
            """;

    private TogetherProvider together;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        together = TogetherFixtures.provider(wm.baseUrl() + "/v1");
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/models/supported")).willReturn(okJson(
                "{\"models\": [\"" + BASE + "\"]}")));
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/models/limits")).willReturn(okJson(LIMITS)));
        wm.stubFor(post(urlPathEqualTo(ESTIMATE)).willReturn(okJson(ANSWER)));
    }

    private static JobRequest request(String baseModel, Hyperparameters h, Map<String, String> options,
            boolean validation) {
        return new JobRequest(TAG, "parser", baseModel, new UploadedData("file-train", validation ? "file-val" : null,
                Map.of()), h, null, true, options);
    }

    @Test
    void lora_sendsWhatTheCreateSends_withTheDefaultsSpelledOut_andReadsDollarsExactly() {
        Optional<PriceQuote> quote = together.quote(request(BASE, Hyperparameters.AUTO, Map.of(), false));

        wm.verify(postRequestedFor(urlPathEqualTo(ESTIMATE)).withHeader("Authorization", equalTo(BEARER))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"training_file": "file-train", "model": "%s", "n_epochs": 1, "n_evals": 0,
                         "training_type": {"type": "Lora", "lora_r": 64, "lora_alpha": 128, "lora_dropout": 0.0,
                                           "lora_trainable_modules": "all-linear"},
                         "training_method": {"method": "sft", "train_on_inputs": "auto"}}
                        """.formatted(BASE), false, false)));
        wm.verify(getRequestedFor(urlPathEqualTo("/v1/fine-tunes/models/limits"))
                .withQueryParam("model_name", equalTo(BASE)));
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo("/v1/fine-tunes")))).as("nothing created").isEmpty();

        PriceQuote q = quote.orElseThrow();
        assertThat(q.provider()).isEqualTo("together");
        assertThat(q.model()).isEqualTo(BASE);
        assertThat(q.price().amount()).as("dollars, every digit Together sent")
                .isEqualByComparingTo(new BigDecimal("12.345678901"));
        assertThat(q.price().currency()).isEqualTo("USD");
        assertThat(q.creditLimit()).contains(new Money(new BigDecimal("100.10"), "USD"));
        assertThat(q.trainingTokens()).hasValue(2_469_135);
        assertThat(q.evaluationTokens()).hasValue(4096);
        assertThat(q.allowedToProceed()).isTrue();
        assertThat(q.quotedAt()).isEqualTo(Instant.parse("2026-05-04T10:00:00Z"));
    }

    @Test
    void full_withAValidationFile_epochsAndEvaluations_sendsThemAsTheCreateDoes() {
        Hyperparameters h = Hyperparameters.builder().epochs(3).batchSize(16).learningRate(2e-4).build();
        together.quote(request(BASE, h, Map.of("training_type", "full", "n_evals", "4", "n_checkpoints", "2"), true));

        wm.verify(postRequestedFor(urlPathEqualTo(ESTIMATE)).withRequestBody(equalToJson("""
                {"training_file": "file-train", "validation_file": "file-val", "model": "%s", "n_epochs": 3,
                 "n_evals": 4, "training_type": {"type": "Full"},
                 "training_method": {"method": "sft", "train_on_inputs": "auto"}}
                """.formatted(BASE), false, false)));
    }

    @Test
    void aValidationFileWithoutN_evals_isEvaluatedOnce_asTheCreateSendsIt() {
        together.quote(request(BASE, Hyperparameters.builder().epochs(2).build(),
                Map.of("lora_r", "8", "train_on_inputs", "false"), true));

        wm.verify(postRequestedFor(urlPathEqualTo(ESTIMATE)).withRequestBody(equalToJson("""
                {"training_file": "file-train", "validation_file": "file-val", "model": "%s", "n_epochs": 2,
                 "n_evals": 1,
                 "training_type": {"type": "Lora", "lora_r": 8, "lora_alpha": 16, "lora_dropout": 0.0,
                                   "lora_trainable_modules": "all-linear"},
                 "training_method": {"method": "sft", "train_on_inputs": false}}
                """.formatted(BASE), false, false)));
    }

    @Test
    void notAllowedToProceed_isKept_withTheLimit() {
        wm.stubFor(post(urlPathEqualTo(ESTIMATE)).willReturn(okJson("""
                {"estimated_total_price": 250, "allowed_to_proceed": false, "user_limit": 5,
                 "estimated_train_token_count": 50000000, "estimated_eval_token_count": 0}
                """)));

        PriceQuote q = together.quote(request(BASE, Hyperparameters.AUTO, Map.of(), false)).orElseThrow();

        assertThat(q.allowedToProceed()).isFalse();
        assertThat(q.price()).isEqualTo(Money.usd("250"));
        assertThat(q.creditLimit()).contains(Money.usd("5"));
        assertThat(q.evaluationTokens()).hasValue(0);
    }

    @Test
    void estimationNotAvailable_isNoQuote() {
        wm.stubFor(post(urlPathEqualTo(ESTIMATE)).willReturn(okJson("""
                {"estimation_available": false, "estimated_total_price": 0, "allowed_to_proceed": true}
                """)));

        assertThat(together.quote(request(BASE, Hyperparameters.AUTO, Map.of(), false))).isEmpty();
    }

    @Test
    void missingCountsAndLimit_andUnknownFields_areTolerated() {
        wm.stubFor(post(urlPathEqualTo(ESTIMATE)).willReturn(okJson("""
                {"estimated_total_price": 0.0000005, "estimation_available": true, "currency_hint": "usd",
                 "breakdown": {"train": 1}}
                """)));

        PriceQuote q = together.quote(request(BASE, Hyperparameters.AUTO, Map.of(), false)).orElseThrow();

        assertThat(q.price().amount()).isEqualByComparingTo(new BigDecimal("0.0000005"));
        assertThat(q.trainingTokens()).isEmpty();
        assertThat(q.evaluationTokens()).isEmpty();
        assertThat(q.creditLimit()).isEmpty();
        assertThat(q.allowedToProceed()).as("not said: no warning").isTrue();
    }

    @Test
    void anAnswerWithoutAPrice_isAProviderError_quotingTheBody() {
        wm.stubFor(post(urlPathEqualTo(ESTIMATE)).willReturn(okJson("{\"allowed_to_proceed\": true}")));

        assertThatThrownBy(() -> together.quote(request(BASE, Hyperparameters.AUTO, Map.of(), false)))
                .isInstanceOf(ProviderException.class).hasMessageContaining("estimated_total_price")
                .hasMessageNotContaining(KEY.value());
    }

    @Test
    void aRefusal_isTheTypedException_withoutTheKey() {
        wm.stubFor(post(urlPathEqualTo(ESTIMATE)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"error": {"message": "File file-train does not exist", "type": "invalid_request_error",
                                   "param": "training_file", "code": null}}
                        """)));

        assertThatThrownBy(() -> together.quote(request(BASE, Hyperparameters.AUTO, Map.of(), false)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("File file-train does not exist")
                .hasMessageNotContaining(KEY.value());
    }

    @Test
    void aServerError_isRetried_thenTheTypedException() {
        wm.stubFor(post(urlPathEqualTo(ESTIMATE)).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\": {\"message\": \"Internal server error\", \"type\": \"server_error\"}}")));

        assertThatThrownBy(() -> together.quote(request(BASE, Hyperparameters.AUTO, Map.of(), false)))
                .isInstanceOf(ServerException.class).hasMessageNotContaining(KEY.value());
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(ESTIMATE)))).as("it creates nothing: retried (2 retries)")
                .hasSize(3);
    }

    @Test
    void aJobOutsideTheModelsLimits_isRefusedByTheQuote_asTheCreateRefusesIt() {
        Hyperparameters tooBig = Hyperparameters.builder().batchSize(64).build();

        assertThatThrownBy(() -> together.quote(request(BASE, tooBig, Map.of(), false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize 64");
        assertThatThrownBy(() -> together.createJob(request(BASE, tooBig, Map.of(), false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize 64");

        wm.verify(0, postRequestedFor(urlPathEqualTo(ESTIMATE)));
    }

    @Test
    void aContinuedJob_isNotAsked_asTogethersClientDoesNotAsk() {
        assertThat(together.quote(request("ft-0a1b2c3d-4e5f", Hyperparameters.AUTO, Map.of(), false))).isEmpty();
        assertThat(together.quote(request(BASE, Hyperparameters.AUTO,
                Map.of(TogetherOptions.FROM_CHECKPOINT, "ft-0a1b2c3d-4e5f:10"), false))).isEmpty();

        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aContinuedJobNamedByItsOutputModel_isLookedUp_butNotPriced() {
        String output = "acme/Meta-Llama-3.1-8B-Instruct-Reference-" + TAG + "-7f3a2b1c";
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes")).willReturn(okJson("{\"data\": [" + job("ft-0a1b", "completed",
                TAG, "") + "]}")));

        assertThat(together.quote(request(output, Hyperparameters.AUTO, Map.of(), false))).isEmpty();

        wm.verify(0, postRequestedFor(urlPathEqualTo(ESTIMATE)));
    }
}
