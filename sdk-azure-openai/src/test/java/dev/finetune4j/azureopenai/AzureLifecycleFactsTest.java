package dev.finetune4j.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune4j.lifecycle.LifecycleEvent;
import dev.finetune4j.lifecycle.LifecycleTable;
import dev.finetune4j.lifecycle.ModelLifecycle;
import java.io.InputStream;
import java.net.URI;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The retirement facts this module ships ({@code dev/finetune4j/azureopenai/lifecycle.json}, in the
 * lifecycle table's JSON shape) say what Microsoft's schedule of 07/07/2026 says, each with an
 * official source and the date it was checked.
 */
class AzureLifecycleFactsTest {

    private static final Set<String> FIELDS = Set.of("provider", "model", "kind", "date", "no_earlier_than",
            "scope", "source", "checked_on", "source_quality", "note");

    private static JsonNode events() throws Exception {
        try (InputStream in = AzureLifecycleFactsTest.class.getResourceAsStream(
                "/dev/finetune4j/azureopenai/lifecycle.json")) {
            assertThat(in).as("lifecycle.json on the class path").isNotNull();
            return new ObjectMapper().readTree(in).get("events");
        }
    }

    private static JsonNode event(String model, String kind) throws Exception {
        for (JsonNode e : events()) {
            if (e.get("model").asText().equals(model) && e.get("kind").asText().equals(kind)) {
                return e;
            }
        }
        throw new AssertionError("no " + kind + " event for " + model);
    }

    @Test
    void everyEvent_isComplete_datedAndSourcedOfficially_andUniquePerModelAndKind() throws Exception {
        Set<String> seen = new HashSet<>();
        for (JsonNode e : events()) {
            e.fieldNames().forEachRemaining(f -> assertThat(FIELDS).as(e.toString()).contains(f));
            assertThat(e.get("provider").asText()).isEqualTo(AzureOpenAiProviderFactory.ID);
            assertThat(e.get("kind").asText()).isIn("jobs_end", "deployments_retire", "model_shutdown");
            LocalDate.parse(e.get("date").asText());
            assertThat(LocalDate.parse(e.get("checked_on").asText())).isEqualTo(LocalDate.of(2026, 12, 3));
            assertThat(URI.create(e.get("source").asText()).getHost()).isEqualTo("github.com");
            assertThat(e.get("source").asText()).contains("/MicrosoftDocs/azure-ai-docs/");
            assertThat(e.get("source_quality").asText()).isEqualTo("official");
            assertThat(seen.add(e.get("model").asText() + "/" + e.get("kind").asText())).as(e.toString()).isTrue();
        }
        assertThat(seen).hasSize(18);
    }

    @Test
    void fineTunedGpt4oMiniAndGpt41Mini_trainAndServeLongerThanTheirBases() throws Exception {
        JsonNode miniJobs = event("gpt-4o-mini-2024-07-18", "jobs_end");
        JsonNode miniDeployments = event("gpt-4o-mini-2024-07-18", "deployments_retire");
        JsonNode miniBase = event("gpt-4o-mini-2024-07-18", "model_shutdown");

        assertThat(miniJobs.get("date").asText()).isEqualTo("2027-04-01");
        assertThat(miniJobs.get("no_earlier_than").asBoolean()).isTrue();
        assertThat(miniJobs.get("scope").asText()).isEqualTo("fine_tuned");
        assertThat(miniJobs.get("note").asText()).contains("existing customers only").contains("2026-10-01");
        assertThat(miniDeployments.get("date").asText()).isEqualTo("2027-10-01");
        assertThat(miniBase.get("date").asText()).isEqualTo("2026-10-01");
        assertThat(miniBase.get("scope").asText()).isEqualTo("base");
        assertThat(event("gpt-4.1-mini-2025-04-14", "jobs_end").get("date").asText()).isEqualTo("2027-04-14");
        assertThat(event("gpt-4.1-mini-2025-04-14", "deployments_retire").get("date").asText())
                .isEqualTo("2027-10-14");
        assertThat(event("o4-mini-2025-04-16", "deployments_retire").get("date").asText()).isEqualTo("2027-10-16");
    }

    @Test
    void aRetiredBaseModel_closesNoFineTuningJobs_whileAzureStillTrainsOnIt() {
        String id = AzureOpenAiProviderFactory.ID;
        String base = "gpt-4.1-mini-2025-04-14";
        List<LifecycleEvent> events = LifecycleTable.defaults().find(id, base, base);
        assertThat(new ModelLifecycle(id, base, base, LocalDate.of(2026, 12, 4), events).jobsClosedBy())
                .as("the base retired 2026-10-14 for chat; fine-tuning goes on").isEmpty();
        assertThat(new ModelLifecycle(id, base, base, LocalDate.of(2027, 5, 1), events).jobsClosedBy())
                .as("jobs end 'no earlier than 2027-04-14': Azure decides").isEmpty();
    }

    @Test
    void theDescriptor_shipsTheFacts_soTheLifecycleTableAnswersForAFineTunedGpt41Mini() {
        assertThat(AzureOpenAiProviderFactory.DESCRIPTOR.lifecycleEvents()).hasSize(18);
        assertThat(LifecycleTable.defaults().find(AzureOpenAiProviderFactory.ID,
                "gpt-4.1-mini-2025-04-14.ft-0123456789abcdef", "gpt-4.1-mini-2025-04-14")).isNotEmpty();
    }
}
