package dev.finetune4j.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import dev.finetune4j.testing.StubProvider;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code FineTuning.lifecycle()} answers per version, on the injected clock (2026-11-21). */
class LifecycleAnswersTest {

    static final String BASE = "acme-small-2024-07-18";
    static final String V1 = "ft:acme-small-2024-07-18:org::v1";
    static final URI DOCS = URI.create("https://acme.example/deprecations");

    /** A provider whose model API reports a shutdown date for the models in {@link #shutdowns}. */
    static final class ReportingProvider extends StubProvider {
        final Map<String, LocalDate> shutdowns = new ConcurrentHashMap<>();
        final List<String> asked = new ArrayList<>();

        ReportingProvider() {
            super("acme");
        }

        @Override
        public List<LifecycleEvent> reportedLifecycle(String providerModelId, LocalDate checkedOn) {
            asked.add(providerModelId);
            LocalDate d = shutdowns.get(providerModelId);
            return d == null ? List.of() : List.of(LifecycleEvent.builder("acme", providerModelId,
                    LifecycleKind.MODEL_SHUTDOWN).date(d).source(URI.create("https://api.acme.example/v1/models/"
                    + providerModelId), checkedOn, SourceQuality.PROVIDER_API).build());
        }
    }

    private final ManualClock clock = new ManualClock();
    private final VersionStore store = VersionStores.inMemory(clock);
    private final ReportingProvider acme = new ReportingProvider();
    private FineTuning ft;
    private Assistant ava;

    @BeforeEach
    void setUp() {
        LifecycleTable table = LifecycleTable.builder()
                .put(LifecycleEvent.builder("acme", BASE, LifecycleKind.MODEL_SHUTDOWN)
                        .date(LocalDate.parse("2027-01-14")).source(DOCS, LocalDate.parse("2026-12-04"),
                                SourceQuality.SECONDARY).build())
                .put(LifecycleEvent.builder("acme", "*", LifecycleKind.JOBS_END)
                        .date(LocalDate.parse("2027-01-06")).source(DOCS, LocalDate.parse("2026-12-04"),
                                SourceQuality.SECONDARY).build())
                .build();
        ft = FineTuning.builder().store(store).clock(clock).provider(acme).lifecycleTable(table).build();
        ava = ft.createAssistant("ava", "acme", BASE);
        ava.importModel("acme", V1, BASE, null);
    }

    @Test
    void aVersion_getsItsBasesEvents_andTheDaysLeftOnTheInjectedClock() {
        ModelLifecycle l = ft.lifecycle().of(ava.modelVersion(1).orElseThrow());

        assertThat(ft.lifecycle().today()).isEqualTo(LocalDate.parse("2026-11-21"));
        assertThat(l.events()).extracting(LifecycleEvent::kind)
                .containsExactly(LifecycleKind.JOBS_END, LifecycleKind.MODEL_SHUTDOWN);
        assertThat(l.daysLeft()).contains(54L);
        assertThat(l.jobsClosedBy()).isEmpty();
        assertThat(l.summary()).isEqualTo("shuts down 2027-01-14 (in 54 days, secondary source)");

        clock.advance(Duration.ofDays(47));   // 2027-01-07

        ModelLifecycle later = ft.lifecycle().of(ava.modelVersion(1).orElseThrow());
        assertThat(later.daysLeft()).contains(7L);
        assertThat(later.jobsClosedBy()).map(LifecycleEvent::kind).contains(LifecycleKind.JOBS_END);

        clock.advance(Duration.ofDays(10));   // 2027-01-17

        assertThat(ft.lifecycle().of(ava.modelVersion(1).orElseThrow()).summary())
                .isEqualTo("shut down 2027-01-14 (3 days ago, secondary source)");
    }

    @Test
    void theLiveModel_isTheActiveVersion_elseTheBase() {
        assertThat(ft.lifecycle().ofLive(ava.selection()).modelId()).isEqualTo(BASE);

        ava.activate(1, Change.by("test", "go live"));

        assertThat(ft.lifecycle().ofLive(ava.selection()).modelId()).isEqualTo(V1);
    }

    @Test
    void refresh_recordsTheProvidersShutdownDateOnTheVersion_andAnswersWithIt() {
        acme.shutdowns.put(V1, LocalDate.parse("2026-12-01"));

        List<ModelVersion> changed = ft.lifecycle().refresh("ava");

        assertThat(acme.asked).containsExactly(V1);
        assertThat(changed).extracting(ModelVersion::number).containsExactly(1);
        // read back from the store, through a new FineTuning: the fact is recorded, not cached
        FineTuning again = FineTuning.builder().store(store).clock(clock).provider(acme).build();
        ModelVersion v1 = again.assistant("ava").modelVersion(1).orElseThrow();
        assertThat(v1.reportedLifecycle()).singleElement().satisfies(e -> {
            assertThat(e.date()).contains(LocalDate.parse("2026-12-01"));
            assertThat(e.sourceQuality()).isEqualTo(SourceQuality.PROVIDER_API);
            assertThat(e.checkedOn()).isEqualTo(LocalDate.parse("2026-11-21"));
            assertThat(e.source()).hasToString("https://api.acme.example/v1/models/" + V1);
        });
        ModelLifecycle l = ft.lifecycle().of(v1);
        assertThat(l.shutdown().orElseThrow().sourceQuality()).as("the sooner, reported date wins")
                .isEqualTo(SourceQuality.PROVIDER_API);
        assertThat(l.daysLeft()).contains(10L);
    }

    @Test
    void refresh_thatConfirmsTheFacts_writesNoRevision() {
        acme.shutdowns.put(V1, LocalDate.parse("2026-12-01"));
        ft.lifecycle().refresh("ava");
        StoreKey key = new StoreKey(ft.tenant(), "model-versions", "ava/000001");
        long revisions = store.latest(key).orElseThrow().number();
        clock.advance(Duration.ofDays(1));

        assertThat(ft.lifecycle().refresh("ava")).isEmpty();
        assertThat(store.latest(key).orElseThrow().number()).isEqualTo(revisions);
    }
}
