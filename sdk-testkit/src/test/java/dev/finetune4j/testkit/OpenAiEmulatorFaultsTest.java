package dev.finetune4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiEmulatorFaultsTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    private final Http http = new Http(openai.baseUrl());

    @Test
    void rateLimitNext_answers429WithRetryAfter_thenServesNormally() throws Exception {
        openai.rateLimitNext(2, 3);

        Http.Response first = http.get("/models");
        Http.Response second = http.get("/models");
        Http.Response third = http.get("/models");

        assertThat(first.status()).isEqualTo(429);
        assertThat(first.header("retry-after")).isEqualTo("3");
        assertThat(first.json().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(second.status()).isEqualTo(429);
        assertThat(third.status()).isEqualTo(200);
        assertThat(openai.pendingFaults()).isZero();
    }

    @Test
    void serverErrorNext_answers500AndChangesNothing() throws Exception {
        openai.serverErrorNext(1);

        Http.Response failed = http.postMultipart("/files",
                Map.of("purpose", "fine-tune", "file", Http.FilePart.of("a.jsonl", TrainingData.jsonl())));

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.json().at("/error/type").asText()).isEqualTo("server_error");
        assertThat(openai.files()).isEmpty();
    }

    @Test
    void cutStreamAfter_sendsTheFirstEventsOnly_withoutTheFinishReasonOrTheEnd() throws Exception {
        openai.on("POST", "/chat/completions").cutStreamAfter(3);
        Map<String, Object> body = Map.of("model", "gpt-4o-mini", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "What is the capital of France?")));

        Http.Response cut = http.postJson("/chat/completions", body);
        Http.Response whole = http.postJson("/chat/completions", body);

        assertThat(cut.status()).isEqualTo(200);
        assertThat(cut.events()).hasSize(3).noneMatch(c -> c.at("/choices/0/finish_reason").isTextual());
        assertThat(cut.text()).doesNotContain("[DONE]").endsWith("\n\n");
        assertThat(whole.events().get(whole.events().size() - 1).at("/choices/0/finish_reason").asText())
                .isEqualTo("stop");
        assertThat(whole.text()).endsWith("data: [DONE]\n\n");
        assertThat(openai.requests()).extracting(RecordedRequest::fault)
                .containsExactly(ScriptedFault.CUT_STREAM, ScriptedFault.NONE);
    }

    @Test
    void cutStreamAfter_leavesAnAnswerThatIsNotAStreamWhole() throws Exception {
        openai.on("POST", "/chat/completions").cutStreamAfter(1);

        Http.Response plain = http.postJson("/chat/completions", Map.of("model", "gpt-4o-mini",
                "messages", List.of(Map.of("role", "user", "content", "Hello"))));

        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.json().at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(openai.pendingFaults()).isZero();
    }

    @Test
    void faultsOnAPath_leaveOtherPathsAlone() throws Exception {
        openai.on("/fine_tuning/jobs").serverErrorNext(1);

        Http.Response other = http.get("/models");
        Http.Response target = http.get("/fine_tuning/jobs");
        Http.Response again = http.get("/fine_tuning/jobs");

        assertThat(other.status()).isEqualTo(200);
        assertThat(target.status()).isEqualTo(500);
        assertThat(again.status()).isEqualTo(200);
    }

    @Test
    void dropConnectionNext_resetsTheConnection_beforeAnythingHappens() throws Exception {
        openai.dropConnectionNext("/files");

        assertThatThrownBy(() -> http.postMultipart("/files",
                Map.of("purpose", "fine-tune", "file", Http.FilePart.of("a.jsonl", TrainingData.jsonl()))))
                .isInstanceOf(IOException.class);
        assertThat(openai.files()).isEmpty();
        assertThat(http.get("/files").status()).isEqualTo(200);
    }

    @Test
    void loseResponseNext_createsTheJobButTheClientNeverHearsOfIt() throws Exception {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        openai.loseResponseNext("/fine_tuning/jobs");

        assertThatThrownBy(() -> http.postJson("/fine_tuning/jobs",
                Map.of("model", "gpt-4o-mini", "training_file", file, "metadata", Map.of("record", "r-1"))))
                .isInstanceOf(IOException.class);

        assertThat(openai.jobs()).singleElement().satisfies(j -> assertThat(j.metadata()).containsEntry("record", "r-1"));
        assertThat(http.get("/fine_tuning/jobs?metadata%5Brecord%5D=r-1").json().get("data")).hasSize(1);
    }

    @Test
    void faultsOnOnePath_goOnePerRequest_inTheOrderScripted() throws Exception {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        openai.on("/fine_tuning/jobs").slowNext(Duration.ofMillis(1)).loseResponseNext();

        Http.Response lookup = http.get("/fine_tuning/jobs?metadata%5Brecord%5D=r-1");
        assertThatThrownBy(() -> http.postJson("/fine_tuning/jobs",
                Map.of("model", "gpt-4o-mini", "training_file", file, "metadata", Map.of("record", "r-1"))))
                .isInstanceOf(IOException.class);
        Http.Response again = http.get("/fine_tuning/jobs?metadata%5Brecord%5D=r-1");

        assertThat(lookup.status()).as("the slow look-up is answered, not lost").isEqualTo(200);
        assertThat(lookup.json().get("data")).isEmpty();
        assertThat(again.json().get("data")).hasSize(1);
        assertThat(openai.requests()).extracting(r -> r.method() + " " + r.path().replaceAll("\\?.*", ""),
                        RecordedRequest::fault)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("POST /v1/files", ScriptedFault.NONE),
                        org.assertj.core.groups.Tuple.tuple("GET /v1/fine_tuning/jobs", ScriptedFault.SLOW),
                        org.assertj.core.groups.Tuple.tuple("POST /v1/fine_tuning/jobs", ScriptedFault.LOSE_RESPONSE),
                        org.assertj.core.groups.Tuple.tuple("GET /v1/fine_tuning/jobs", ScriptedFault.NONE));
        assertThat(openai.pendingFaults()).isZero();
    }

    @Test
    void faultsForOneMethod_leaveOtherMethodsOnThePathAlone() throws Exception {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        openai.on("post", "/fine_tuning/jobs").loseResponseNext();

        Http.Response lookup = http.get("/fine_tuning/jobs");
        assertThatThrownBy(() -> http.postJson("/fine_tuning/jobs",
                Map.of("model", "gpt-4o-mini", "training_file", file)))
                .isInstanceOf(IOException.class);

        assertThat(lookup.status()).isEqualTo(200);
        assertThat(openai.jobs()).hasSize(1);
        assertThat(openai.requests()).filteredOn(r -> r.path().startsWith("/v1/fine_tuning/jobs"))
                .extracting(RecordedRequest::method, RecordedRequest::fault)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("GET", ScriptedFault.NONE),
                        org.assertj.core.groups.Tuple.tuple("POST", ScriptedFault.LOSE_RESPONSE));
        assertThatThrownBy(() -> openai.on(" ", "/files")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HTTP method");
    }

    @Test
    void aDelayAndAFailingFault_areTwoFaultsForTwoRequests() throws Exception {
        openai.slowNext(Duration.ofMillis(1));
        openai.on("/models").serverErrorNext(1);

        Http.Response first = http.get("/models");
        Http.Response second = http.get("/models");
        Http.Response third = http.get("/models");

        assertThat(first.status()).as("slow, answered normally").isEqualTo(200);
        assertThat(second.status()).isEqualTo(500);
        assertThat(third.status()).isEqualTo(200);
        assertThat(openai.requests()).extracting(RecordedRequest::fault)
                .containsExactly(ScriptedFault.SLOW, ScriptedFault.SERVER_ERROR, ScriptedFault.NONE);
    }

    @Test
    void slowNext_delaysTheNextResponse() throws Exception {
        openai.slowNext(Duration.ofSeconds(3));
        Http impatient = new Http(openai.baseUrl()).timeout(Duration.ofMillis(300));

        assertThatThrownBy(() -> impatient.get("/models")).isInstanceOf(HttpTimeoutException.class);
        assertThat(openai.pendingFaults()).isZero();
    }

    @Test
    void apiKey_whenConfigured_rejectsOtherKeysWith401() throws Exception {
        try (OpenAiEmulator strict = OpenAiEmulator.builder().apiKey("sk-right").start()) {
            Http.Response wrong = new Http(strict.baseUrl(), "sk-wrong-key").get("/models");
            Http.Response right = new Http(strict.baseUrl(), "sk-right").get("/models");

            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.json().at("/error/code").asText()).isEqualTo("invalid_api_key");
            assertThat(wrong.json().at("/error/message").asText()).doesNotContain("sk-wrong-key");
            assertThat(right.status()).isEqualTo(200);
        }
    }
}
