package dev.finetune4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Together emulator's price estimate ({@code POST /v1/fine-tunes/estimate-price}) on the wire. */
class TogetherEmulatorPriceTest {

    private static final String BASE = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @RegisterExtension
    static TogetherEmulator together = TogetherEmulator.builder().user("acme")
            .clock(Clock.fixed(Instant.parse("2026-05-04T10:00:00Z"), ZoneOffset.UTC))
            .build();

    private final Http http = new Http(together.baseUrl());
    private final HttpClient raw = HttpClient.newHttpClient();

    @BeforeEach
    void forget() {
        together.reset();
    }

    /** Together's clients' three upload steps; the file id. */
    private String uploaded(String jsonl) throws Exception {
        HttpResponse<String> announced = raw.send(HttpRequest.newBuilder(URI.create(together.baseUrl() + "/files"))
                .header("Authorization", "Bearer test").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("purpose=fine-tune&file_name=t.jsonl&file_type=jsonl"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String id = announced.headers().firstValue("X-Together-File-Id").orElseThrow();
        raw.send(HttpRequest.newBuilder(URI.create(announced.headers().firstValue("Location").orElseThrow()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(jsonl.getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        Http.Response done = http.post("/files/" + id + "/preprocess");
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        return id;
    }

    private static Map<String, Object> body(String training, String validation, int epochs, int evals) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("training_file", training);
        if (validation != null) {
            b.put("validation_file", validation);
        }
        b.put("model", BASE);
        b.put("n_epochs", epochs);
        b.put("n_evals", evals);
        b.put("training_type", Map.of("type", "Lora", "lora_r", 16, "lora_alpha", 32));
        b.put("training_method", Map.of("method", "sft", "train_on_inputs", "auto"));
        return b;
    }

    /** The answer, its numbers read exactly. */
    private static JsonNode exact(Http.Response r) throws Exception {
        return EXACT.readTree(r.text());
    }

    private String finish(String jobId) throws Exception {
        String status = "";
        for (int i = 0; i < 6 && !status.equals("completed"); i++) {
            status = http.get("/fine-tunes/" + jobId).json().get("status").asText();
        }
        return status;
    }

    @Test
    void theEstimateInDollars_isTheTotalPriceInNanoDollars_theJobReportsForTheSameFilesEpochsAndEvaluations()
            throws Exception {
        String train = uploaded(TrainingData.jsonl(8));
        String valid = uploaded(TrainingData.jsonl().lines().skip(8).reduce("", (a, b) -> a + b + "\n"));

        Http.Response estimated = http.postJson("/fine-tunes/estimate-price", body(train, valid, 3, 2));
        Map<String, Object> create = body(train, valid, 3, 2);
        create.put("suffix", "priced");
        Http.Response created = http.postJson("/fine-tunes", create);
        String id = created.json().get("id").asText();
        assertThat(finish(id)).isEqualTo("completed");
        JsonNode job = exact(http.get("/fine-tunes/" + id));

        assertThat(estimated.status()).as(estimated.text()).isEqualTo(200);
        JsonNode e = exact(estimated);
        BigDecimal dollars = e.get("estimated_total_price").decimalValue();
        long totalPrice = job.get("total_price").asLong();
        assertThat(totalPrice).isPositive();
        assertThat(dollars.movePointRight(9)).as("dollars, exactly the job's nano-dollars")
                .isEqualByComparingTo(BigDecimal.valueOf(totalPrice));
        long trainTokens = e.get("estimated_train_token_count").asLong();
        long evalTokens = e.get("estimated_eval_token_count").asLong();
        assertThat(trainTokens + evalTokens).isEqualTo(job.get("token_count").asLong());
        assertThat(trainTokens % 3).as("three epochs of the training file").isZero();
        assertThat(evalTokens % 2).as("two evaluations of the validation file").isZero();
        assertThat(evalTokens).isPositive();
        assertThat(e.get("allowed_to_proceed").asBoolean()).isTrue();
        assertThat(e.get("user_limit").decimalValue()).isEqualByComparingTo("100");
        assertThat(e.get("estimation_available").asBoolean()).isTrue();
        assertThat(estimated.text()).as("a plain number, never 1.2E-5").doesNotContain("E-").doesNotContain("e-");
        assertThat(together.jobs()).as("the estimate created nothing").hasSize(1);
    }

    @Test
    void theDefaults_areOneEpochAndNoEvaluation_andMoreEpochsCostProportionallyMore() throws Exception {
        String train = uploaded(TrainingData.jsonl());
        Map<String, Object> bare = new LinkedHashMap<>();
        bare.put("training_file", train);
        bare.put("model", BASE);

        JsonNode one = exact(http.postJson("/fine-tunes/estimate-price", bare));
        JsonNode four = exact(http.postJson("/fine-tunes/estimate-price", body(train, null, 4, 0)));

        assertThat(one.get("estimated_eval_token_count").asLong()).isZero();
        assertThat(four.get("estimated_train_token_count").asLong())
                .isEqualTo(4 * one.get("estimated_train_token_count").asLong());
        assertThat(four.get("estimated_total_price").decimalValue())
                .isEqualByComparingTo(one.get("estimated_total_price").decimalValue().multiply(BigDecimal.valueOf(4)));
    }

    @Test
    void aPriceAboveTheCreditLimit_isNotAllowedToProceed_untilTheLimitIsReset() throws Exception {
        String train = uploaded(TrainingData.jsonl());
        together.creditLimit(new BigDecimal("0.000001"));

        JsonNode refused = exact(http.postJson("/fine-tunes/estimate-price", body(train, null, 1, 0)));
        assertThat(refused.get("allowed_to_proceed").asBoolean()).isFalse();
        assertThat(refused.get("user_limit").decimalValue()).isEqualByComparingTo("0.000001");
        BigDecimal price = refused.get("estimated_total_price").decimalValue();
        together.creditLimit(price);
        assertThat(exact(http.postJson("/fine-tunes/estimate-price", body(train, null, 1, 0)))
                .get("allowed_to_proceed").asBoolean()).as("a price equal to the limit").isTrue();

        together.reset();
        assertThat(together.creditLimit()).isEqualByComparingTo("100");
        assertThatThrownBy(() -> together.creditLimit(new BigDecimal("-1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownFileOrModel_orAMissingTrainingFile_isRefusedInTogethersErrorShape() throws Exception {
        String train = uploaded(TrainingData.jsonl());

        Http.Response noFile = http.postJson("/fine-tunes/estimate-price", body("file-nope", null, 1, 0));
        Http.Response noValidation = http.postJson("/fine-tunes/estimate-price", body(train, "file-gone", 1, 1));
        Map<String, Object> unknownModel = body(train, null, 1, 0);
        unknownModel.put("model", "acme/not-a-base");
        Http.Response model = http.postJson("/fine-tunes/estimate-price", unknownModel);
        Http.Response missing = http.postJson("/fine-tunes/estimate-price", Map.of("model", BASE));
        Map<String, Object> tooMany = body(train, null, 1, 0);
        tooMany.put("n_epochs", 0);
        Http.Response epochs = http.postJson("/fine-tunes/estimate-price", tooMany);

        assertThat(noFile.status()).isEqualTo(400);
        assertThat(noFile.json().at("/error/message").asText()).contains("file-nope");
        assertThat(noFile.json().at("/error/param").asText()).isEqualTo("training_file");
        assertThat(noFile.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(noValidation.status()).isEqualTo(400);
        assertThat(noValidation.json().at("/error/param").asText()).isEqualTo("validation_file");
        assertThat(model.status()).isEqualTo(400);
        assertThat(model.json().at("/error/param").asText()).isEqualTo("model");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/error/message").asText()).contains("training_file is required");
        assertThat(epochs.status()).isEqualTo(400);
        assertThat(epochs.json().at("/error/param").asText()).isEqualTo("n_epochs");
    }

    @Test
    void aScriptedServerError_hitsTheEstimateOnly() throws Exception {
        String train = uploaded(TrainingData.jsonl());
        together.on("POST", "/fine-tunes/estimate-price").serverErrorNext(1);

        Http.Response failed = http.postJson("/fine-tunes/estimate-price", body(train, null, 1, 0));
        Http.Response again = http.postJson("/fine-tunes/estimate-price", body(train, null, 1, 0));

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.json().at("/error/type").asText()).isEqualTo("server_error");
        assertThat(again.status()).isEqualTo(200);
        assertThat(together.pendingFaults()).isZero();
    }

    @Test
    void fromCheckpoint_isPricedOnTheContinuedJobsBaseModel() throws Exception {
        String train = uploaded(TrainingData.jsonl(6));
        Map<String, Object> first = body(train, null, 1, 0);
        String id = http.postJson("/fine-tunes", first).json().get("id").asText();
        finish(id);
        Map<String, Object> continued = body(train, null, 1, 0);
        continued.remove("model");
        continued.put("from_checkpoint", id);

        JsonNode fromCheckpoint = exact(http.postJson("/fine-tunes/estimate-price", continued));
        JsonNode fromBase = exact(http.postJson("/fine-tunes/estimate-price", body(train, null, 1, 0)));
        continued.put("model", BASE);
        Http.Response both = http.postJson("/fine-tunes/estimate-price", continued);

        assertThat(fromCheckpoint.get("estimated_total_price").decimalValue())
                .isEqualByComparingTo(fromBase.get("estimated_total_price").decimalValue());
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().at("/error/message").asText()).contains("not both");
    }
}
