package dev.finetune4j.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.spi.ProviderDescriptor;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTableTest {

    static final URI DOCS = URI.create("https://acme.example/deprecations");
    static final LocalDate CHECKED = LocalDate.parse("2026-12-04");

    static LifecycleEvent event(String model, LifecycleKind kind, String date) {
        LifecycleEvent.Builder b = LifecycleEvent.builder("acme", model, kind).source(DOCS, CHECKED,
                SourceQuality.OFFICIAL);
        return (date == null ? b : b.date(LocalDate.parse(date))).build();
    }

    private static InputStream json(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fineTunedIds_matchTheEventsOfTheirBase() {
        LifecycleTable table = LifecycleTable.builder()
                .put(event("acme-small-2024-07-18", LifecycleKind.MODEL_SHUTDOWN, "2027-01-14"))
                .put(event("acme-large-*", LifecycleKind.MODEL_SHUTDOWN, "2027-02-01"))
                .put(event("*", LifecycleKind.JOBS_END, "2027-01-06"))
                .build();

        // OpenAI-style id, base recorded on the version
        assertThat(table.find("acme", "ft:acme-small-2024-07-18:org::x1", "acme-small-2024-07-18"))
                .extracting(LifecycleEvent::kind)
                .containsExactly(LifecycleKind.JOBS_END, LifecycleKind.MODEL_SHUTDOWN);
        // Azure-style id, base only in the id
        assertThat(table.find("acme", "acme-small-2024-07-18.ft-0123abcd", "unknown"))
                .extracting(LifecycleEvent::kind)
                .containsExactly(LifecycleKind.JOBS_END, LifecycleKind.MODEL_SHUTDOWN);
        assertThat(table.find("acme", "acme-large-2025-01-01", "acme-large-2025-01-01"))
                .extracting(e -> e.date().orElseThrow().toString())
                .containsExactly("2027-01-06", "2027-02-01");
        assertThat(table.find("other", "acme-small-2024-07-18", "acme-small-2024-07-18")).isEmpty();
        assertThat(table.find("acme", "acme-smaller", "acme-smaller"))
                .extracting(LifecycleEvent::kind).containsExactly(LifecycleKind.JOBS_END);
    }

    @Test
    void baseModelOf_readsBothIdForms() {
        assertThat(LifecycleEvent.baseModelOf("ft:gpt-4o-mini-2024-07-18:acme:ava:abc")).isEqualTo(
                "gpt-4o-mini-2024-07-18");
        assertThat(LifecycleEvent.baseModelOf("gpt-4.1-mini-2025-04-14.ft-0123")).isEqualTo("gpt-4.1-mini-2025-04-14");
        assertThat(LifecycleEvent.baseModelOf("open-mistral-7b")).isEqualTo("open-mistral-7b");
    }

    @Test
    void scope_separatesABaseDeprecationFromItsFineTunesRetirement() {
        LifecycleTable table = LifecycleTable.builder()
                .put(event("acme-small", LifecycleKind.DEPRECATED, "2026-10-01").toBuilder()
                        .scope(ModelScope.BASE).build())
                .put(event("acme-small", LifecycleKind.DEPLOYMENTS_RETIRE, "2027-10-01").toBuilder()
                        .scope(ModelScope.FINE_TUNED).build())
                .build();

        assertThat(table.find("acme", "acme-small", "acme-small")).extracting(LifecycleEvent::kind)
                .containsExactly(LifecycleKind.DEPRECATED);
        assertThat(table.find("acme", "acme-small.ft-1", "acme-small")).extracting(LifecycleEvent::kind)
                .containsExactly(LifecycleKind.DEPLOYMENTS_RETIRE);
    }

    @Test
    void merge_replacesByKey_movesAndRemovesEvents(@TempDir Path dir) throws Exception {
        LifecycleTable shipped = LifecycleTable.builder()
                .put(event("acme-small", LifecycleKind.MODEL_SHUTDOWN, "2027-01-14"))
                .put(event("acme-small", LifecycleKind.JOBS_END, "2027-01-06"))
                .build();
        Path file = dir.resolve("ours.json");
        Files.writeString(file, """
                {"remove": [{"provider": "acme", "model": "acme-small", "kind": "jobs_end"}],
                 "events": [{"provider": "acme", "model": "acme-small", "kind": "model_shutdown",
                             "date": "2027-12-31", "source": "https://intranet.example/contract-42",
                             "checked_on": "2026-12-01", "source_quality": "host",
                             "note": "dedicated capacity until the end of 2027"}]}
                """);

        LifecycleTable ours = shipped.toBuilder().merge(file).build();

        assertThat(ours.events()).hasSize(1);
        LifecycleEvent moved = ours.events().get(0);
        assertThat(moved.kind()).isEqualTo(LifecycleKind.MODEL_SHUTDOWN);
        assertThat(moved.date()).contains(LocalDate.parse("2027-12-31"));
        assertThat(moved.sourceQuality()).isEqualTo(SourceQuality.HOST);
        assertThat(moved.source()).isEqualTo(URI.create("https://intranet.example/contract-42"));
        assertThat(moved.note()).contains("dedicated capacity until the end of 2027");
        assertThat(shipped.events()).as("the shipped table is unchanged").hasSize(2);
    }

    @Test
    void removeInCode_saysWeHaveCapacityPastTheDate() {
        LifecycleTable table = LifecycleTable.builder()
                .put(event("acme-small", LifecycleKind.MODEL_SHUTDOWN, "2027-01-14"))
                .build().toBuilder()
                .remove("acme", "acme-small", LifecycleKind.MODEL_SHUTDOWN)
                .build();

        assertThat(table.find("acme", "acme-small", "acme-small")).isEmpty();
    }

    @Test
    void writtenAndReadBack_anEventKeepsEveryField() {
        LifecycleEvent e = LifecycleEvent.builder("acme", "acme-small", LifecycleKind.JOBS_END)
                .date(LocalDate.parse("2027-04-01")).noEarlierThan(true).scope(ModelScope.FINE_TUNED)
                .source(DOCS, CHECKED, SourceQuality.SECONDARY).note("existing customers only").build();
        String doc = "{\"events\": [" + dev.finetune4j.internal.lifecycle.LifecycleJson.write(e) + "]}";

        LifecycleTable read = LifecycleTable.builder().merge(json(doc), "doc").build();

        assertThat(read.events()).containsExactly(e);
    }

    @Test
    void brokenEntries_areRefusedNamingTheEntryAndTheField() {
        assertThatThrownBy(() -> LifecycleTable.builder().merge(json("""
                {"events": [{"provider": "acme", "model": "m", "kind": "jobs_end", "date": "2027-13-01",
                  "source": "https://a.example", "checked_on": "2026-12-04", "source_quality": "official"}]}
                """), "f.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("f.json events[0]: 'date' is '2027-13-01'; expected YYYY-MM-DD");
        assertThatThrownBy(() -> LifecycleTable.builder().merge(json("""
                {"events": [{"provider": "acme", "model": "m", "kind": "ends", "source": "https://a.example",
                  "checked_on": "2026-12-04", "source_quality": "official"}]}
                """), "f.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("f.json events[0]: 'kind' is 'ends'; expected one of [jobs_end, model_shutdown, "
                        + "deployments_retire, deprecated]");
        assertThatThrownBy(() -> LifecycleTable.builder().merge(json("""
                {"events": [{"provider": "acme", "model": "m", "kind": "jobs_end", "checked_on": "2026-12-04",
                  "source_quality": "official"}]}
                """), "f.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("f.json events[0] lacks 'source'");
        assertThatThrownBy(() -> LifecycleTable.builder().merge(json("{\"event\": []}"), "f.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("f.json has an unknown field 'event'; expected events, remove");
        assertThatThrownBy(() -> LifecycleTable.builder().merge(Path.of("no-such-lifecycle.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lifecycle file no-such-lifecycle.json does not exist");
    }

    @Test
    void anEventWithoutSource_cannotBeBuilt() {
        assertThatThrownBy(() -> LifecycleEvent.builder("acme", "m", LifecycleKind.JOBS_END).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("lifecycle event acme m jobs_end needs a source: call source(url, checkedOn, quality)");
        assertThatThrownBy(() -> LifecycleEvent.builder("acme", "gpt-*-mini", LifecycleKind.JOBS_END))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDescriptor_refusesEventsOfAnotherProvider() {
        LifecycleEvent other = LifecycleEvent.builder("other", "m", LifecycleKind.DEPRECATED)
                .source(DOCS, CHECKED, SourceQuality.OFFICIAL).build();

        assertThatThrownBy(() -> ProviderDescriptor.builder("acme").lifecycleEvents(List.of(other)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("provider acme: lifecycle event other m deprecated names another provider");
    }

    @Test
    void azuresFineTuningRetirementTable_isExpressible_twoPhasesAndABaseDeprecation() {
        // the table of research/azure-openai.md section 7, as the Azure module will ship it
        LifecycleTable azure = LifecycleTable.builder()
                .putAll(LifecycleTable.resource(LifecycleTableTest.class, "azure-openai-lifecycle.json")).build();
        ModelLifecycle deployed = new ModelLifecycle("azure-openai", "gpt-4o-mini-2024-07-18.ft-0123abcd",
                "gpt-4o-mini-2024-07-18", LocalDate.parse("2027-04-02"),
                azure.find("azure-openai", "gpt-4o-mini-2024-07-18.ft-0123abcd", "gpt-4o-mini-2024-07-18"));

        assertThat(deployed.events()).extracting(e -> e.kind() + " " + e.date().orElseThrow())
                .containsExactly("JOBS_END 2027-04-01", "DEPLOYMENTS_RETIRE 2027-10-01");
        assertThat(deployed.jobsEnd().orElseThrow().noEarlierThan()).isTrue();
        assertThat(deployed.jobsClosedBy()).as("'no earlier than' leaves the decision to the provider").isEmpty();
        assertThat(deployed.jobsEnd().orElseThrow().note()).hasValueSatisfying(n -> assertThat(n)
                .contains("existing customers only"));
        assertThat(deployed.summary()).isEqualTo("deployments retire 2027-10-01 (in 182 days)");
        assertThat(deployed.daysLeft()).contains(182L);
        assertThat(azure.find("azure-openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini-2024-07-18"))
                .extracting(e -> e.kind() + " " + e.date().orElseThrow()).containsExactly("DEPRECATED 2026-10-01");
        assertThat(azure.events()).hasSize(18).allSatisfy(e -> assertThat(e.sourceQuality())
                .isEqualTo(SourceQuality.OFFICIAL));
    }
}
