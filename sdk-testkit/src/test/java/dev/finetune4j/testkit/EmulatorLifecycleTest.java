package dev.finetune4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmulatorLifecycleTest {

    @Test
    void plainObject_startsOnAFreePort_andStopsOnClose() throws Exception {
        OpenAiEmulator emulator = OpenAiEmulator.start();
        String baseUrl = emulator.baseUrl();

        int status = new Http(baseUrl).get("/models").status();
        emulator.close();

        assertThat(baseUrl).isEqualTo("http://localhost:" + emulator.port() + "/v1");
        assertThat(status).isEqualTo(200);
        assertThat(emulator.isRunning()).isFalse();
        assertThatThrownBy(() -> new Http(baseUrl).get("/models")).isInstanceOf(IOException.class);
    }

    @Test
    void start_onAGivenPort_listensThere() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }

        try (OpenAiEmulator emulator = OpenAiEmulator.start(port)) {
            assertThat(emulator.baseUrl()).isEqualTo("http://localhost:" + port + "/v1");
            assertThat(new Http(emulator.baseUrl()).get("/models").status()).isEqualTo(200);
        }
    }

    @Test
    void startAll_mountsEachProviderBelowItsOwnPath_onOnePort() throws Exception {
        try (Emulators all = Emulators.startAll(0)) {
            Map<String, String> urls = all.baseUrls();

            assertThat(urls).containsEntry("openai", "http://localhost:" + all.port() + "/openai/v1")
                    .containsEntry("mistral", "http://localhost:" + all.port() + "/mistral");
            assertThat(new Http(urls.get("mistral") + "/v1").get("/models").json().at("/data/0/owned_by").asText())
                    .isEqualTo("mistralai");
            Http openai = new Http(urls.get("openai"));
            String file = openai.uploadJsonl("train.jsonl", TrainingData.jsonl());
            assertThat(all.openai().files()).extracting(EmulatedFile::id).containsExactly(file);
            assertThat(new Http("http://localhost:" + all.port()).get("/v1/models").status()).isEqualTo(404);
        }
    }

    @Test
    void timedProgression_movesJobsWithTheEmulatorsClock() throws Exception {
        try (OpenAiEmulator emulator = OpenAiEmulator.builder()
                .progression(JobProgression.timed(Duration.ofMinutes(10))).start()) {
            Http http = new Http(emulator.baseUrl());
            String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
            String id = http.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4.1-mini", "training_file", file))
                    .json().get("id").asText();
            List<String> statuses = new ArrayList<>();

            for (int i = 0; i < 4; i++) {
                statuses.add(http.get("/fine_tuning/jobs/" + id).json().get("status").asText());
                statuses.add(http.get("/fine_tuning/jobs/" + id).json().get("status").asText());
                emulator.advanceTime(Duration.ofMinutes(10));
            }

            assertThat(statuses).containsExactly("validating_files", "validating_files", "queued", "queued",
                    "running", "running", "succeeded", "succeeded");
        }
    }

    @Test
    void manualProgression_movesJobsOnlyWhenTold() throws Exception {
        try (OpenAiEmulator emulator = OpenAiEmulator.builder().progression(JobProgression.manual()).start()) {
            Http http = new Http(emulator.baseUrl());
            String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
            String id = http.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini", "training_file", file))
                    .json().get("id").asText();

            String polled = http.get("/fine_tuning/jobs/" + id).json().get("status").asText();
            emulator.advanceJob(id);
            String advanced = http.get("/fine_tuning/jobs/" + id).json().get("status").asText();

            assertThat(polled).isEqualTo("validating_files");
            assertThat(advanced).isEqualTo("queued");
        }
    }

    @Test
    void seed_makesIdsRepeatable() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (OpenAiEmulator emulator = OpenAiEmulator.builder().seed(42).start()) {
                ids.add(new Http(emulator.baseUrl()).uploadJsonl("a.jsonl", TrainingData.jsonl()));
            }
        }

        assertThat(ids.get(0)).isEqualTo(ids.get(1));
    }

    /** A static extension: one emulator for the class, state reset before each test. */
    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class RegisteredStatically {

        @RegisterExtension
        static OpenAiEmulator openai = OpenAiEmulator.create();

        static int port;

        @Test
        @Order(1)
        void firstTest_uploadsAFile(OpenAiEmulator injected) throws Exception {
            new Http(openai.baseUrl()).uploadJsonl("a.jsonl", TrainingData.jsonl());
            port = openai.port();

            assertThat(injected).isSameAs(openai);
            assertThat(openai.files()).hasSize(1);
            assertThat(openai.requests()).singleElement().satisfies(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/v1/files");
                assertThat(r.header("authorization")).hasValue("Bearer sk-test-0123456789");
                assertThat(r.body()).contains("name=\"purpose\"");
            });
        }

        @Test
        @Order(2)
        void secondTest_seesAFreshEmulatorOnTheSamePort() {
            assertThat(openai.port()).isEqualTo(port);
            assertThat(openai.files()).isEmpty();
            assertThat(openai.requests()).isEmpty();
        }
    }

    /** The parameter-resolving extension: one emulator per class, reset before each test. */
    @Nested
    @ExtendWith(EmulatorExtension.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class ResolvedAsParameter {

        static OpenAiEmulator first;

        @Test
        @Order(1)
        void firstTest(OpenAiEmulator openai) throws Exception {
            first = openai;
            new Http(openai.baseUrl()).uploadJsonl("a.jsonl", TrainingData.jsonl());

            assertThat(openai.isRunning()).isTrue();
            assertThat(openai.files()).hasSize(1);
        }

        @Test
        @Order(2)
        void secondTest(OpenAiEmulator openai, MistralEmulator mistral) {
            assertThat(openai).isSameAs(first);
            assertThat(openai.files()).isEmpty();
            assertThat(mistral.isRunning()).isTrue();
            assertThat(mistral.port()).isNotEqualTo(openai.port());
        }
    }
}
