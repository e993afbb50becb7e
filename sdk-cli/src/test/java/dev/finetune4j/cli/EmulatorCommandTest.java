package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmulatorCommandTest {

    @Test
    void emulator_json_printsTheUrlsAndEnvLines_thenServesUntilStopped() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FinetuneCli cli = new FinetuneCli(out, err, Map.of());
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                () -> cli.execute("emulator", "--port", "0", "--run-for", "5s", "--json"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (out.size() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        JsonNode doc = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        int port = doc.get("port").asInt();
        String openai = doc.get("base_urls").get("openai").asText();
        HttpResponse<String> models = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(openai
                + "/models")).header("Authorization", "Bearer test").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(Cli.fieldNames(doc)).containsExactly("port", "base_urls", "env");
        assertThat(openai).isEqualTo("http://localhost:" + port + "/openai/v1");
        assertThat(doc.get("base_urls").get("mistral").asText()).isEqualTo("http://localhost:" + port + "/mistral");
        assertThat(Cli.fieldNames(doc.get("base_urls"))).containsExactly("openai", "mistral", "huggingface",
                "huggingface-serving", "huggingface-endpoints", "together", "azure-openai", "azure-openai-management");
        assertThat(doc.get("env")).extracting(JsonNode::asText).containsExactly(
                "OPENAI_BASE_URL=" + openai, "OPENAI_API_KEY=test",
                "MISTRAL_BASE_URL=http://localhost:" + port + "/mistral", "MISTRAL_API_KEY=test",
                "HF_ENDPOINT=http://localhost:" + port + "/huggingface", "HF_TOKEN=test",
                "HF_SERVING_URL=http://localhost:" + port + "/huggingface/v1",
                "HF_ENDPOINTS_URL=http://localhost:" + port + "/huggingface/v2",
                "TOGETHER_BASE_URL=http://localhost:" + port + "/together/v1", "TOGETHER_API_KEY=test",
                "AZURE_OPENAI_ENDPOINT=http://localhost:" + port + "/azure-openai", "AZURE_OPENAI_API_KEY=test",
                "AZURE_SUBSCRIPTION_ID=00000000-0000-0000-0000-000000000000", "AZURE_RESOURCE_GROUP=emulator-rg",
                "AZURE_OPENAI_ACCOUNT_NAME=emulator",
                "AZURE_MANAGEMENT_ENDPOINT=http://localhost:" + port + "/azure-openai",
                "AZURE_ARM_TOKEN=emulator-arm-token");
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(models.body()).contains("gpt-4o-mini");
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(err.size()).isZero();
    }

    @Test
    void emulator_human_runsForTheGivenTimeAndStops() {
        Cli.Result r = Cli.run("emulator", "--port", "0", "--run-for", "500ms");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("OpenAI, Mistral, Hugging Face, Together AI, Azure OpenAI emulators on port", "export OPENAI_BASE_URL=http://localhost:",
                "export OPENAI_API_KEY=test", "export MISTRAL_BASE_URL=http://localhost:", "/mistral",
                "export HF_ENDPOINT=http://localhost:", "export HF_SERVING_URL=http://localhost:",
                "export TOGETHER_BASE_URL=http://localhost:", "/together/v1",
                "export AZURE_OPENAI_ENDPOINT=http://localhost:", "/azure-openai",
                "Running for 500 ms.");
    }
}
