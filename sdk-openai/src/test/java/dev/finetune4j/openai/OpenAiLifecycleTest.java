package dev.finetune4j.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.FineTuning;
import dev.finetune4j.JobsEndedException;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.lifecycle.LifecycleEvent;
import dev.finetune4j.lifecycle.LifecycleKind;
import dev.finetune4j.lifecycle.LifecycleTable;
import dev.finetune4j.lifecycle.ModelLifecycle;
import dev.finetune4j.lifecycle.SourceQuality;
import dev.finetune4j.store.VersionStores;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OpenAI's lifecycle: the facts the module ships, the run-time shutdown_date, the job cutoff on submit. */
class OpenAiLifecycleTest {

    static final String BASE = "gpt-4o-mini-2024-07-18";
    static final String FT = "ft:gpt-4o-mini-2024-07-18:acme:ava:AbC123";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    private static FineTuning ft(TestSupport.FakeTime time) {
        OpenAiProvider openai = TestSupport.provider(TestSupport.config(wm, time).build());
        return FineTuning.builder().store(VersionStores.inMemory(time)).clock(time).sleeper(time).provider(openai)
                .build();
    }

    @Test
    void shippedEvents_eachCarryASourceUrl_aCheckDate_andTheirQuality() {
        List<LifecycleEvent> shipped = OpenAiProviderFactory.DESCRIPTOR.lifecycleEvents();

        assertThat(shipped).isNotEmpty().allSatisfy(e -> {
            assertThat(e.provider()).isEqualTo("openai");
            assertThat(e.source().getScheme()).isEqualTo("https");
            assertThat(e.checkedOn()).isAfter(LocalDate.parse("2026-11-30"));
        });
        LifecycleEvent jobsEnd = shipped.stream().filter(e -> e.kind() == LifecycleKind.JOBS_END).findFirst()
                .orElseThrow();
        assertThat(jobsEnd.date()).contains(LocalDate.parse("2027-01-06"));
        assertThat(jobsEnd.sourceQuality()).as("the cutoff is read from secondary reports")
                .isEqualTo(SourceQuality.SECONDARY);
        assertThat(LifecycleTable.defaults().find("openai", FT, BASE)).extracting(e -> e.kind() + " " + e.date()
                .orElseThrow())
                .containsExactly("DEPRECATED 2026-05-07", "JOBS_END 2027-01-06", "MODEL_SHUTDOWN 2027-01-14");
    }

    @Test
    void reportedLifecycle_readsShutdownDateFromGetModel() {
        wm.stubFor(get(urlEqualTo("/v1/models/" + FT)).willReturn(okJson("""
                {"id": "%s", "object": "model", "created": 1730000000, "owned_by": "acme",
                 "shutdown_date": "2027-01-14"}""".formatted(FT))));
        OpenAiProvider openai = TestSupport.provider(TestSupport.config(wm, new TestSupport.FakeTime()).build());

        List<LifecycleEvent> events = openai.reportedLifecycle(FT, LocalDate.parse("2026-12-04"));

        wm.verify(getRequestedFor(urlEqualTo("/v1/models/" + FT))
                .withHeader("Authorization", equalTo("Bearer " + TestSupport.KEY)));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(LifecycleKind.MODEL_SHUTDOWN);
            assertThat(e.model()).isEqualTo(FT);
            assertThat(e.date()).contains(LocalDate.parse("2027-01-14"));
            assertThat(e.sourceQuality()).isEqualTo(SourceQuality.PROVIDER_API);
            assertThat(e.source()).hasToString(wm.baseUrl() + "/v1/models/" + FT);
            assertThat(e.checkedOn()).isEqualTo(LocalDate.parse("2026-12-04"));
        });
    }

    @Test
    void reportedLifecycle_withANullShutdownDate_isEmpty() {
        wm.stubFor(get(urlEqualTo("/v1/models/" + FT)).willReturn(okJson("""
                {"id": "%s", "object": "model", "created": 1730000000, "owned_by": "acme", "shutdown_date": null}
                """.formatted(FT))));
        OpenAiProvider openai = TestSupport.provider(TestSupport.config(wm, new TestSupport.FakeTime()).build());

        assertThat(openai.reportedLifecycle(FT, LocalDate.parse("2026-12-04"))).isEmpty();
    }

    @Test
    void refresh_recordsTheShutdownDateOnTheVersion_whenRead() {
        wm.stubFor(get(urlEqualTo("/v1/models/" + FT)).willReturn(okJson("""
                {"id": "%s", "object": "model", "created": 1730000000, "owned_by": "acme",
                 "shutdown_date": "2026-12-20"}""".formatted(FT))));
        TestSupport.FakeTime time = new TestSupport.FakeTime(Instant.parse("2026-12-04T09:00:00Z"));
        FineTuning ft = ft(time);
        ft.createAssistant("ava", "openai", BASE).importModel("openai", FT, BASE, null);

        List<ModelVersion> changed = ft.lifecycle().refresh("ava");

        assertThat(changed).singleElement().satisfies(v -> assertThat(v.reportedLifecycle()).singleElement()
                .satisfies(e -> assertThat(e.date()).contains(LocalDate.parse("2026-12-20"))));
        ModelLifecycle l = ft.lifecycle().of(ft.assistant("ava").modelVersion(1).orElseThrow());
        assertThat(l.shutdown().orElseThrow().sourceQuality()).isEqualTo(SourceQuality.PROVIDER_API);
        assertThat(l.daysLeft()).contains(16L);
    }

    @Test
    void submit_afterTheJobCutoff_isRefusedWithDateAndSource_beforeAnyRequest() {
        TestSupport.FakeTime time = new TestSupport.FakeTime(Instant.parse("2027-01-07T09:00:00Z"));
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(anyUrl())
                .willReturn(aResponse().withStatus(500)));
        FineTuning ft = ft(time);
        ft.createAssistant("avatar-42", "openai", BASE);
        ft.dataset("avatar-42/main").append(IntStream.range(0, 20).mapToObj(i -> Example.of(
                Message.user("question " + i), Message.assistant("answer " + i))).toList(), null);

        assertThatThrownBy(() -> ft.jobs().submit(FineTuneSpec.builder("avatar-42", "main").build()))
                .isInstanceOfSatisfying(JobsEndedException.class, e -> {
                    assertThat(e.date()).isEqualTo(LocalDate.parse("2027-01-06"));
                    assertThat(e.source()).isEqualTo("https://aihola.com/article/openai-ends-fine-tuning-2027");
                    assertThat(e.getMessage()).contains("openai takes no new fine-tuning jobs for " + BASE
                            + " since 2027-01-06 (today is 2027-01-07; source: https://aihola.com/article/"
                            + "openai-ends-fine-tuning-2027, secondary, checked 2026-12-04); nothing was uploaded");
                });
        wm.verify(0, anyRequestedFor(anyUrl()));
        assertThat(ft.jobs().list("avatar-42")).isEmpty();
    }
}
